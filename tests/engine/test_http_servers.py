"""HTTP collector and checks against real local HTTPS/HTTP servers, with and without each header."""

from __future__ import annotations

import datetime as dt
import email.utils
import time

import pytest

from tests.engine.conftest import HOST, by_id, scan_local
from tests.engine.servers import Site, hostile, serve, server_context
from vendorvet.engine.collectors.http import HttpOptions, HttpSession
from vendorvet.engine.net import Resolver

HTTP_CHECKS = ["http.hsts", "http.redirect_https", "http.cors", "disclosure", "api"]
NOW = dt.datetime.now(dt.timezone.utc)


def _http_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when.astimezone(dt.timezone.utc), usegmt=True)


def security_txt(expires: dt.datetime, contact: bool = True) -> tuple:
    body = ("# vendor security contact\n" + ("Contact: mailto:security@vendor.test\n" if contact else "")
            + f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}\nPreferred-Languages: de, en\n")
    return (200, [("Content-Type", "text/plain; charset=utf-8")], body.encode())


def scan_site(pki, site: Site, plain: Site | None = None, **kw):
    """Scan ``site`` over HTTPS; ``plain`` (if given) answers plain HTTP: a redirect to the HTTPS site,
    or content when ``plain.serve_content`` is set."""
    with serve(site, context=server_context(*pki.good)) as (port, _):
        if plain is None:
            return scan_local(port, ca_file=pki.ca_pem, checks=HTTP_CHECKS, **kw), port
        if getattr(plain, "serve_content", False):
            plain.default = (200, [("Content-Type", "text/html")], b"<p>hello</p>")
        else:
            plain.default = (301, [("Location", f"https://{HOST}:{port}/")], b"")
        with serve(plain) as (plain_port, _):
            return scan_local(port, ca_file=pki.ca_pem, checks=HTTP_CHECKS, plain_http_port=plain_port, **kw), port


def test_well_configured_api_passes(pki):
    site = Site(default=(200, [("Content-Type", "application/json"),
                               ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
                               ("RateLimit-Policy", '"default";q=600;w=60'), ("RateLimit", '"default";r=599;t=60')],
                         b"{}"),
                routes={"/.well-known/security.txt": security_txt(NOW + dt.timedelta(days=180))})
    result, _ = scan_site(pki, site, plain=Site())
    found = by_id(result)
    statuses = {k: f.status.value for k, f in found.items()}
    assert statuses == {"http.hsts": "pass", "http.redirect_https": "pass", "http.cors": "pass",
                        "disclosure.security_txt": "pass", "api.ratelimit.headers": "pass",
                        "api.ratelimit.retry_after": "not_applicable", "api.lifecycle.deprecation": "pass"}
    assert found["api.ratelimit.headers"].evidence["limit"] == 600
    assert found["http.hsts"].evidence["max_age"] == 31536000
    assert found["disclosure.security_txt"].evidence["contact"] == ["mailto:security@vendor.test"]


def test_badly_configured_api_fails(pki):
    site = Site(default=(429, [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "PLACEHOLDER"),
                               ("Access-Control-Allow-Credentials", "true"), ("Deprecation", "@1688169599"),
                               ("Sunset", _http_date(NOW - dt.timedelta(days=2)))], b"{}"))

    def reflect(handler):
        origin = handler.headers.get("Origin", "")
        return (429, [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"),
                      ("Deprecation", "@1688169599"), ("Sunset", _http_date(NOW - dt.timedelta(days=2)))], b"{}")

    site.default = reflect
    site.routes["/.well-known/security.txt"] = (404, [("Content-Type", "text/plain")], b"not found")
    plain = Site()
    plain.serve_content = True  # type: ignore[attr-defined]
    result, _ = scan_site(pki, site, plain=plain)
    found = by_id(result)
    assert found["http.hsts"].status.value == "fail"
    assert found["http.redirect_https"].status.value == "fail"
    assert "status 200" in found["http.redirect_https"].detail
    assert found["http.cors"].status.value == "fail" and found["http.cors"].severity.value == "critical"
    assert found["disclosure.security_txt"].status.value == "fail"
    assert found["api.ratelimit.headers"].status.value == "warn"
    assert found["api.ratelimit.retry_after"].status.value == "fail"
    assert found["api.lifecycle.deprecation"].status.value == "fail"
    assert "has passed" in found["api.lifecycle.deprecation"].detail


@pytest.mark.parametrize("headers, routes, check_id, status, words", [
    ([("Strict-Transport-Security", "max-age=86400")], {}, "http.hsts", "warn", "less than six months"),
    ([("Strict-Transport-Security", "max-age=abc")], {}, "http.hsts", "fail", "invalid"),
    ([], {"/.well-known/security.txt": security_txt(NOW - dt.timedelta(days=5))},
     "disclosure.security_txt", "warn", "expired"),
    ([], {"/.well-known/security.txt": security_txt(NOW + dt.timedelta(days=30), contact=False)},
     "disclosure.security_txt", "warn", "no Contact"),
    ([], {"/.well-known/security.txt": (200, [("Content-Type", "text/html")], b"<html>SPA</html>")},
     "disclosure.security_txt", "fail", "HTML"),
    ([("X-RateLimit-Limit", "5000"), ("X-RateLimit-Remaining", "4999"), ("X-RateLimit-Reset", "1700000000")], {},
     "api.ratelimit.headers", "pass", "limit 5000"),
    ([("Deprecation", "@1688169599")], {}, "api.lifecycle.deprecation", "warn", "deprecated since 2023-06-30"),
    ([("Sunset", None)], {}, "api.lifecycle.deprecation", "warn", "switched off"),
    ([("Access-Control-Allow-Origin", "*")], {}, "http.cors", "info", "public API"),
    ([("Access-Control-Allow-Origin", "https://app.vendor.test")], {}, "http.cors", "pass", "limited to"),
])
def test_each_header_variant(pki, headers, routes, check_id, status, words):
    headers = [(k, v if v is not None else _http_date(NOW + dt.timedelta(days=20))) for k, v in headers]
    site = Site(default=(200, [("Content-Type", "application/json"), *headers], b"{}"), routes=dict(routes))
    result, _ = scan_site(pki, site)
    finding = by_id(result)[check_id]
    assert finding.status.value == status, finding.detail
    assert words in finding.detail


def test_untrusted_certificate_still_yields_headers_but_hsts_is_not_honoured(pki):
    site = Site(default=(200, [("Strict-Transport-Security", "max-age=31536000")], b"{}"))
    with serve(site, context=server_context(*pki.good)) as (port, _):
        result = scan_local(port, checks=["http.hsts"])  # no --ca-file: the test CA is unknown
    finding = by_id(result)["http.hsts"]
    assert finding.status.value == "fail" and "ignore it" in finding.detail


def _session(**resolver_kw) -> HttpSession:
    return HttpSession(Resolver(**resolver_kw), HttpOptions(timeout=1.0, request_budget=3.0, max_redirects=5))


@pytest.mark.parametrize("behaviour, reason", [
    ("slowloris", "timeout"), ("endless_headers", "protocol"), ("silent", "timeout"),
    ("redirect_loop", "too_many_redirects"),
])
def test_hostile_servers_cannot_hang_the_scanner(behaviour, reason):
    with hostile(behaviour) as port:
        session = _session(allow_private=True)
        started = time.monotonic()
        fetch = session.fetch(f"http://127.0.0.1:{port}/")
        elapsed = time.monotonic() - started
        session.close()
    assert fetch.error_reason == reason, fetch.error
    assert elapsed < 6.0


def test_redirect_to_loopback_is_refused():
    """The first hop (127.0.0.2, deliberately allowed) redirects to 127.0.0.1: the guard refuses to follow."""
    with hostile("redirect_loopback", host="127.0.0.2") as port:
        session = _session(allowed_networks=("127.0.0.2/32",))
        fetch = session.fetch(f"http://127.0.0.2:{port}/")
        session.close()
    assert fetch.error_reason == "refused_by_policy"
    assert "127.0.0.1 is loopback" in fetch.error
    assert [h.status for h in fetch.hops] == [301]
    assert session.backend.connected == [("127.0.0.2", "127.0.0.2", port)]


def test_response_bodies_are_capped(pki):
    big = Site(default=(200, [("Content-Type", "text/plain")], b"x" * 500_000))
    with serve(big) as (port, _):
        session = HttpSession(Resolver(allow_private=True), HttpOptions(max_body=10_000))
        fetch = session.fetch(f"http://127.0.0.1:{port}/")
        session.close()
    assert fetch.final.body_truncated and len(fetch.final.body) == 10_000
