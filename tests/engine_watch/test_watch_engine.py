"""The pure watch engine: meaningful text, fingerprint, diff, sub-processor rows, the polite fetch (loopback)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from tests.support.watch_server import WatchServer, subprocessor_page
from vendorvet.engine.net import Resolver
from vendorvet.engine.watch import extract, subprocessors
from vendorvet.engine.watch.fetch import HostLimiter, Robots, fetch

ROWS = [("Amazon Web Services EMEA SARL", "Hosting", "Ireland"), ("Stripe, Inc.", "Payments", "USA"),
        ("Zendesk", "Support tickets", "Germany")]


def lines(html):
    return extract.html_lines(html)


def test_timestamp_reorder_and_cache_busting_do_not_change_the_fingerprint():
    base = extract.fingerprint(lines(subprocessor_page(ROWS)))
    assert extract.fingerprint(lines(subprocessor_page(ROWS, stamp="Last updated: 9 April 2026"))) == base
    assert extract.fingerprint(lines(subprocessor_page(list(reversed(ROWS))))) == base
    assert extract.fingerprint(lines(subprocessor_page(ROWS, stamp="Stand: 01.02.2026"))) == base
    changed = extract.fingerprint(lines(subprocessor_page(ROWS[:2] + [("Zendesk", "Support tickets", "USA")])))
    assert changed != base


def test_text_drops_navigation_footer_scripts_and_keeps_content():
    text = "\n".join(lines(subprocessor_page(ROWS)))
    assert "Home" not in text and "build" not in text and "padding" not in text and "app.js" not in text
    assert "Stripe, Inc. | Payments | USA" in text
    assert "We use the following sub-processors to provide the service." in text
    assert "2025" not in text


def test_diff_is_readable():
    before = lines(subprocessor_page(ROWS))
    after = lines(subprocessor_page(ROWS + [("OpenAI, L.L.C.", "AI features", "United States")]))
    out = extract.diff(before, after)
    assert "+ OpenAI, L.L.C. | AI features | United States" in out
    assert not any(line.startswith("- ") for line in out.splitlines())


def test_rows_parsed_with_iso_countries_and_compared_without_order():
    rows = subprocessors.parse_rows(subprocessor_page(ROWS))
    assert [(r.name, r.purpose, r.countries) for r in rows] == [
        ("Amazon Web Services EMEA SARL", "Hosting", ("IE",)), ("Stripe, Inc.", "Payments", ("US",)),
        ("Zendesk", "Support tickets", ("DE",))]
    assert not subprocessors.compare(rows, subprocessors.parse_rows(subprocessor_page(list(reversed(ROWS)))))
    moved = subprocessors.parse_rows(subprocessor_page(ROWS[:2] + [("Zendesk", "Support tickets", "India")]))
    changes = subprocessors.compare(rows, moved)
    assert [(a.countries, b.countries) for a, b in changes.changed] == [(("DE",), ("IN",))]
    assert changes.new_countries == ["IN"] and not changes.added and not changes.removed
    added = subprocessors.compare(rows, subprocessors.parse_rows(subprocessor_page(ROWS[1:])))
    assert [r.name for r in added.removed] == ["Amazon Web Services EMEA SARL"]


def test_german_list_layout():
    html = ("<h2>Unterauftragsverarbeiter</h2><ul><li>Hetzner Online GmbH – Hosting – Deutschland</li>"
            "<li>Twilio Inc. – SMS-Versand – Vereinigte Staaten</li></ul>")
    rows = subprocessors.parse_rows(html)
    assert [(r.name, r.countries) for r in rows] == [("Hetzner Online GmbH", ("DE",)), ("Twilio Inc.", ("US",))]


def test_pdf_text_and_a_pdf_without_text():
    with pytest.raises(extract.UnreadableDocument):
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        buf = io.BytesIO()
        writer.write(buf)
        extract.lines_of(buf.getvalue(), "application/pdf")
    with pytest.raises(extract.UnreadableDocument):
        extract.lines_of(b"%PDF-1.4 broken", "application/pdf")


@pytest.fixture
def server():
    srv = WatchServer().start()
    yield srv
    srv.stop()


LOOPBACK_ONLY = {"allowed_networks": ("127.0.0.1/32",)}  # the server's own address; other loopback refused


def test_conditional_fetch_and_304(server):
    server.html("/subs", subprocessor_page(ROWS))
    resolver = Resolver(**LOOPBACK_ONLY)
    first = fetch(server.base + "/subs", resolver)
    assert first.state == "fetched" and first.etag
    again = fetch(server.base + "/subs", resolver, etag=first.etag)
    assert again.state == "not_modified"
    assert server.request_headers["/subs"][-1].get("If-None-Match") == first.etag


def test_stalling_server_is_cut_off(server):
    server.stall.add("/slow")
    result = fetch(server.base + "/slow", Resolver(**LOOPBACK_ONLY), timeout=0.5)
    assert result.state == "error" and "timed out" in result.reason


def test_redirect_to_another_loopback_address_is_refused(server):
    server.redirect("/moved", "http://127.0.0.2:9/internal")
    result = fetch(server.base + "/moved", Resolver(**LOOPBACK_ONLY))
    assert result.state == "error" and "refused by the network policy" in result.reason
    assert result.final_url == "http://127.0.0.2:9/internal"


def test_redirect_within_the_policy_is_followed(server):
    server.redirect("/old", "/subs")
    server.html("/subs", subprocessor_page(ROWS))
    result = fetch(server.base + "/old", Resolver(**LOOPBACK_ONLY))
    assert result.state == "fetched" and result.final_url.endswith("/subs")


def test_fifty_megabytes_are_refused_not_truncated(server):
    server.huge.add("/big")
    result = fetch(server.base + "/big", Resolver(**LOOPBACK_ONLY))
    assert result.state == "error" and "larger than 5 MB" in result.reason and result.body == b""


def test_robots_txt_is_honoured(server):
    server.pages["/robots.txt"] = (200, {"Content-Type": "text/plain"},
                                   b"User-agent: vendorvet-watch\nDisallow: /private\n")
    server.html("/private/subs", "<p>x</p>")
    server.html("/subs", "<p>y</p>")
    robots = Robots()
    resolver = Resolver(**LOOPBACK_ONLY)
    assert "robots.txt" in fetch(server.base + "/private/subs", resolver, robots=robots).reason
    assert fetch(server.base + "/subs", resolver, robots=robots).state == "fetched"
    assert server.hits.get("/private/subs") is None and server.hits["/robots.txt"] == 1


def test_host_limiter_bounds_concurrency():
    import threading
    import time

    limiter, active, peak = HostLimiter(per_host=2), [0], [0]
    lock = threading.Lock()

    def work():
        with limiter("h"):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.02)
            with lock:
                active[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2
