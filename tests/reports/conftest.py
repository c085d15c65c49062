"""Fixtures for the document tests: a reviewed integration, logged-in clients, PDF text helpers."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        assert client.login(username=user.get_username(), password=PASSWORD)
        return client

    return make


@pytest.fixture
def reviewed(tenant_a, assessor_a, admin_a):
    from tests.reports.world import build_review

    return build_review(tenant_a, assessor_a, admin_a)


def pdf_text(body: bytes) -> tuple[int, str]:
    """(page count, all text) of a PDF read back with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages)


def squeezed(text: str) -> str:
    """The text without whitespace: a hash or id wrapped at the end of a table cell is found as one string."""
    return "".join(text.split())


def render_first_page(body: bytes, tmp_path) -> bytes:
    """Page 1 as PNG through poppler's pdftoppm; fails the test when pdftoppm reports an error."""
    assert shutil.which("pdftoppm"), "pdftoppm (Debian poppler-utils) is needed: scripts/test installs it"
    source = tmp_path / "doc.pdf"
    source.write_bytes(body)
    result = subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(source),
                             str(tmp_path / "page1")], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    png = (tmp_path / "page1.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    return png
