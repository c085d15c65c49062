"""core/downloads.py: the attachment header for generated documents (RFC 6266 with an RFC 5987 UTF-8 name)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser.conftest import browser_page  # noqa: F401
from tests.support.downloads import assert_download, disposition_names
from vendorvet.web.core.downloads import attachment, content_disposition

GERMAN = "Prüfbericht Müller & Söhne 2026.pdf"


def test_german_name_has_an_ascii_fallback_and_the_exact_utf8_name():
    value = content_disposition(GERMAN)
    assert value == ('attachment; filename="Pruefbericht Mueller & Soehne 2026.pdf"; '
                     "filename*=UTF-8''Pr%C3%BCfbericht%20M%C3%BCller%20&%20S%C3%B6hne%202026.pdf")
    assert disposition_names(value) == ("attachment", "Pruefbericht Mueller & Soehne 2026.pdf", GERMAN)


def test_plain_ascii_name_stays_as_it_is():
    assert content_disposition("audit-pack-crm-en-2026-12-02.pdf") == (
        'attachment; filename="audit-pack-crm-en-2026-12-02.pdf"')


@pytest.mark.parametrize("name, fallback, exact", [
    ('a"b;c.csv', "a_b_c.csv", 'a"b;c.csv'),  # quotes and semicolons cannot break out of the value
    ("..\\..\\boot.ini", "boot.ini", None),  # only the last path component
    ("x\r\nSet-Cookie: a=b.pdf", "xSet-Cookie_ a_b.pdf", "xSet-Cookie: a=b.pdf"),  # no header injection
    ("Straße Crème brûlée.docx", "Strasse Creme brulee.docx", "Straße Crème brûlée.docx"),
    ("日本.pdf", "__.pdf", "日本.pdf"),
    ("", "download", None),
])
def test_hostile_and_foreign_names(name, fallback, exact):
    value = content_disposition(name)
    assert "\r" not in value and "\n" not in value
    assert disposition_names(value) == ("attachment", fallback, exact)


@pytest.mark.parametrize("content", [b"%PDF-1.7", "text", iter([b"a", b"b"])])
def test_every_response_kind_gets_the_headers(content):
    response = attachment(content, GERMAN, "application/pdf")
    assert assert_download(response, "application/pdf") == GERMAN


@pytest.mark.browser
def test_chromium_saves_the_german_name(browser_page):  # noqa: F811
    """A real browser reads filename* and saves the file under its exact UTF-8 name."""
    response = attachment(b"%PDF-1.7 Pruefbericht", GERMAN, "application/pdf")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path != "/file":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(b'<!doctype html><a id="get" href="/file">Herunterladen</a>')
                return
            self.send_response(200)
            for header, value in response.items():
                self.send_header(header, value)
            self.end_headers()
            self.wfile.write(response.content)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser_page.goto(f"http://127.0.0.1:{server.server_port}/")
        with browser_page.expect_download() as info:
            browser_page.click("#get")
        download = info.value
        assert download.suggested_filename == GERMAN
        with open(download.path(), "rb") as fh:
            assert fh.read() == b"%PDF-1.7 Pruefbericht"
    finally:
        server.shutdown()
        server.server_close()
