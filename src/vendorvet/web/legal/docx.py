"""A minimal DOCX (Office Open XML) writer for exported documents, without extra dependencies.

The XML parts are Django templates (autoescaped), so user text can never break the markup.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.template.loader import render_to_string

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Paragraph:
    text: str
    kind: str = "body"  # title, heading, label, body

    @property
    def lines(self) -> list[str]:
        return _INVALID_XML.sub("", self.text or "").splitlines() or [""]


PARTS = {
    "[Content_Types].xml": "legal/docx/content_types.xml",
    "_rels/.rels": "legal/docx/rels.xml",
    "word/document.xml": "legal/docx/document.xml",
}


def build(paragraphs: list[Paragraph], language: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, template in PARTS.items():
            zf.writestr(name, render_to_string(template, {"paragraphs": paragraphs, "language": language}))
    return buf.getvalue()
