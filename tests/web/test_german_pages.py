"""Every page of the demo, read in German: no English of vendorvet's own, no internals on screen.

The demo is loaded, its administrator logged in with a German browser, and every page reachable by a link from
the dashboard is fetched (one of each kind of list filter is enough). Each page's visible text must contain no
English phrase that vendorvet has a German text for (catalogues, engine check texts, bilingual content) and no
Python structure, ``{placeholder}``, command-line flag or double full stop.
"""

from __future__ import annotations

import html as htmlmod
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.support.module_data import loaded_for_module
from tests.web.german_text import demo_texts, english_phrases, internals, untranslated, visible_text, without

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"/logout|/download|\.pdf|\.csv|\.xlsx|\.json|/export|/static/|/media/|/i18n/|/api/schema"
                  r"|/admin/|/api/docs|/accounts/sso/|[?&](page|sort|order|q)=")
LIMIT = 700
PER_KIND = 4  # pages of one kind (the same URL with another id) read


def _load_demo_reader() -> bool:
    from django.contrib.auth import get_user_model

    from vendorvet.web.demo import grant_demo_admin, load_demo

    tenants = [tenant for tenant, _ in load_demo()]
    scanned(tenants[0])
    user = get_user_model().objects.create_user("demo-reader", password=PASSWORD)
    grant_demo_admin(user, tenants)
    return True


@pytest.fixture(scope="module")
def _demo_for_module(request, django_db_setup, django_db_blocker):
    """The demo and its reader, loaded once for the module's tests and restored for each by a savepoint
    rollback (tests/support/module_data.py): the load was most of each test's time."""
    with loaded_for_module(request, django_db_blocker, _load_demo_reader) as loaded:
        yield loaded


@pytest.fixture
def demo_client(_demo_for_module, db):
    if _demo_for_module is None:
        _load_demo_reader()
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    assert client.login(username="demo-reader", password=PASSWORD)
    return client


def scanned(tenant) -> None:
    """A finished scan of a demo integration as the scan service stores it: English engine lines (a grade cap
    without its German text, as older runs stored it), findings of every status, and a target without grade."""
    import datetime as dt

    from django.utils import timezone

    from tests.conftest import acting
    from vendorvet.engine import registry
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    specs = registry.all_checks()
    with acting(tenant):
        integration = Integration.objects.get(name="Stripe Payments")
        for age in (2, 1):
            run = ScanRun.objects.create(integration=integration, status="done",
                                         finished=timezone.now() - dt.timedelta(hours=age))
            target = ScanTarget.objects.create(
                run=run, target="https://api.stripe.test/", host="api.stripe.test", grade="F", score=71,
                deductions=[{"reason": "protocol support 95/100 (best TLS 1.2, worst TLS 1.1)", "points": 1.5},
                            {"reason": "key exchange 90/100 (RSA 2048-bit certificate key)", "points": 3.0},
                            {"reason": "HTTP header score 55/100 (Mozilla Observatory v6)", "points": 13.5},
                            {"reason": "capped at F: certificate chain not trusted (T: not trusted)", "points": 0.0,
                             "cap": "F"}])
            ScanTarget.objects.create(run=run, target="https://files.stripe.test/", host="files.stripe.test",
                                      deductions=[{"reason": "no grade: TLS could not be scanned "
                                                             "(the TLS checks were not selected)", "points": 0}])
            for check_id, status in (("tls.cert.trust", "fail" if age == 1 else "error"), ("http.hsts", "pass"),
                                     ("tls.protocol.tls12", "pass"), ("disclosure.security_txt", "warn")):
                Finding.objects.create(run=run, scan_target=target, check_id=check_id, status=status,
                                       severity="high", title=specs[check_id].title, detail="")


def crawl(client: Client, start: str = "/dashboard/"):
    """(url, html) of every HTML page reachable from ``start`` by same-site links."""
    seen, queue, filtered, kinds = set(), [start], set(), {}
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if "html" not in response.get("Content-Type", ""):
            continue
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        yield url, page
        for href in re.findall(r'href="([^"#]+)"', page):
            parts = urlsplit(htmlmod.unescape(href))
            if parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(target) or target in seen or target in queue:
                continue
            kind = re.sub(r"\d+", "N", parts.path)
            if kinds.get(kind, 0) >= PER_KIND:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            if parts.query:  # list filters: one value of each parameter is enough
                key = (parts.path, tuple(sorted(k for k, _, _ in (p.partition("=") for p in parts.query.split("&")))))
                if key in filtered:
                    continue
                filtered.add(key)
            queue.append(target)


def test_every_demo_page_reads_german_without_internals(demo_client):
    phrases = english_phrases()
    assert len(phrases) > 1000  # the catalogues, engine and content are all read
    user_data = demo_texts()
    english, leaked, pages = {}, {}, 0
    for url, page in crawl(demo_client):
        pages += 1
        assert '<html lang="de"' in page, url
        text = visible_text(page)
        for phrase in untranslated(without(text, user_data), phrases):
            english.setdefault(phrase, url)
        for line in internals(visible_text(page, with_code=True)):
            leaked.setdefault(line[:160], url)
    assert pages > 100
    report = [f"English {url}: {phrase!r}" for phrase, url in sorted(english.items(), key=str)]
    report += [f"internals {url}: {line!r}" for line, url in sorted(leaked.items(), key=str)]
    assert not report, "\n".join(report)


def test_every_demo_page_in_english_shows_no_internals(demo_client):
    demo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    leaked, pages = {}, 0
    for url, page in crawl(demo_client):
        pages += 1
        for line in internals(visible_text(page, with_code=True)):
            leaked.setdefault(line[:160], url)
    assert pages > 100
    assert not leaked, "\n".join(f"{url}: {line!r}" for line, url in sorted(leaked.items(), key=str))


def test_the_detector_finds_english_and_internals():
    phrases = english_phrases()
    page = ("<html lang='de'><main><p>Integrationen</p><p>No changes recorded.</p>"
            "<td>{'grade': '', 'score': None}</td><p>Bitte --allow-private nutzen</p>"
            "<script>var x = 'No changes recorded.'</script></main></html>")
    text = visible_text(page)
    assert untranslated(text, phrases) == ["No changes recorded"]
    assert len(internals(text)) == 2
    assert not untranslated(visible_text("<p>Keine Änderungen erfasst.</p>"), phrases)


def _event_msgids() -> set[str]:
    """Every text an event is recorded with: the ``_("…")`` calls of the modules that record events through
    ``core.messages.T`` (rendered in the reader's language when shown)."""
    import ast

    from tests.web.german_text import SRC

    found = set()
    for module in (SRC / "web").rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        if "import T as _" not in source and "T as _" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "T")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_event_message_and_kind_reads_german():
    from django.utils import translation

    from vendorvet.web.core.registry import registry

    msgids = _event_msgids()
    assert len(msgids) > 40
    # "%(integration)s: %(advisory)s in %(package)s" needs no German: no word of its own beyond "in"
    only_placeholders = re.compile(r"^(?:[\s:→.,;—–()#-]|\b[a-z]{1,2}\b)*$")
    with translation.override("de"):
        untranslated_ids = [m for m in msgids if translation.gettext(m) == m
                            and not only_placeholders.fullmatch(re.sub(r"%\(\w+\)[sd]", "", m))]
        kinds = {key: str(kind.label) for key, kind in registry.event_kinds.items()}
    with translation.override("en"):
        english_kinds = {key: str(kind.label) for key, kind in registry.event_kinds.items()}
    assert not untranslated_ids, untranslated_ids
    same = [k for k in kinds if kinds[k] == english_kinds[k] and " " in kinds[k]]
    assert not same, same


def test_watch_and_certificate_document_pages_read_german(demo_client):
    """The watched sub-processor page (with its HTMX panel and events) and the certificate documents, which the
    crawl above may not reach (it reads only a few pages of each kind and follows no HTMX loads)."""
    from tests.support.demo_pages import watch_and_document_pages
    from vendorvet.web.accounts.models import Tenant

    phrases, user_data = english_phrases(), demo_texts()
    english, leaked = {}, {}
    urls = watch_and_document_pages(Tenant.objects.get(slug="nordlicht"), panels=True)
    for language in ("de", "en"):
        for url in urls:
            response = demo_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "/panel/" in url or f'<html lang="{language}"' in page, (language, url)  # a panel is a fragment
            if language == "de":
                for phrase in untranslated(without(visible_text(page), user_data), phrases):
                    english.setdefault(phrase, url)
            for line in internals(visible_text(page, with_code=True)):
                leaked.setdefault(f"[{language}] {line[:160]}", url)
    report = [f"English {url}: {phrase!r}" for phrase, url in sorted(english.items(), key=str)]
    report += [f"internals {url}: {line!r}" for line, url in sorted(leaked.items(), key=str)]
    assert not report, "\n".join(report)
