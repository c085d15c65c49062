"""Print documents: a plain, JSON-able content dict rendered by a Django template, printed by WeasyPrint.

Every document's footer carries the generation time and a SHA-256 of its *content data*: the canonical JSON
(:func:`canonical_json`) of the dict the template prints — not of the PDF, which cannot contain its own hash.
The same JSON ships in the audit pack's ZIP (``content.json``), so anyone can recompute the footer's hash.
The generation time is outside the hashed data: the same facts give the same hash on every run.

No resource is fetched while printing: the stylesheet is read from this package and every image (the
tenant's logo) is inlined as a ``data:`` URI; any other URL is refused by :func:`_fetcher`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "print.css"
LANGUAGES = ("de", "en")


class PrintError(RuntimeError):
    """The document could not be printed (the reason is in the message)."""


def canonical_json(data) -> bytes:
    """The bytes the footer hash covers: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash(data) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def _fetcher():
    """WeasyPrint's URL fetcher: only inline ``data:`` URIs; nothing is requested from the network or disk."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    sha256: str  # of the content data (see the module docstring)
    generated: str  # ISO 8601, UTC
    language: str
    filename: str


def render_html(template: str, data: dict, language: str, branding: dict, generated=None) -> tuple[str, str, str]:
    """(html, content hash, generation time) for ``data`` printed with ``template`` in ``language``."""
    language = language if language in LANGUAGES else "en"
    digest = content_hash(data)
    generated = (generated or timezone.now()).astimezone(dt.timezone.utc).replace(microsecond=0)
    with translation.override(language):
        html = render_to_string(template, {"doc": data, "branding": branding, "sha256": digest,
                                           "generated": generated.strftime("%Y-%m-%d %H:%M UTC"),
                                           "language": language})
    return html, digest, generated.isoformat()


def render_pdf(template: str, data: dict, language: str, branding: dict, filename: str) -> Printed:
    """Print ``data`` with ``template`` as a PDF (see the module docstring for what the footer hash covers)."""
    try:
        import weasyprint
    except OSError as exc:  # the Pango/HarfBuzz system libraries are missing
        raise PrintError(f"WeasyPrint cannot load its system libraries (install Debian's libpango-1.0-0 and "
                         f"libpangoft2-1.0-0): {exc}") from exc
    html, digest, generated = render_html(template, data, language, branding)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per step otherwise
    fetcher = _fetcher()
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    css = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[css])
    return Printed(pdf=pdf, sha256=digest, generated=generated, language=language, filename=filename)
