"""Read vendor documents (ISO/IEC 27001 certificates, SOC 2 reports and bridge letters, BSI C5 attestations)
into explained suggestions: every field carries the page and the words it came from. Pure Python, offline.

Contract (``vendorvet doc read FILE --format json``)::

    {"kind": "iso27001_certificate" | "soc2_report" | "soc2_bridge_letter" | "c5_attestation" | "unknown",
     "fields": {"<name>": {"value": ..., "page": N, "text": "..."}}, "notes": [...]}

A field the document does not contain is absent; a PDF without a text layer returns no fields and says so.
"""

from __future__ import annotations

import re
from datetime import date

from vendorvet.engine.documents import bridge, c5, iso27001, soc2
from vendorvet.engine.documents.text import DocumentError, Extracted, Page, read_file

__all__ = ["DocumentError", "classify", "read_document", "extract_fields"]

# Checked in this order: a bridge letter and a C5 report name SOC 2; a SOC 2 report may name ISO 27001.
KINDS = [
    (bridge, r"bridge letter|gap letter|überbrückungsschreiben|bridge-letter|brückenschreiben"),
    (c5, r"\bC5\b.*(?:BSI|Cloud Computing Compliance)|(?:BSI|Cloud Computing Compliance).*\bC5\b|C5-Testat|C5:20\d\d"),
    (soc2, r"\bSOC\s*2\b|System and Organi[sz]ation Controls"),
    (iso27001, r"27001"),
]
NO_TEXT = "The PDF has no text layer (a scanned or image-only document); nothing was read. OCR is out of scope."


def classify(pages: list[Page]) -> str:
    head = "\n".join(page.text for page in pages[:3])
    for module, pattern in KINDS:
        if re.search(pattern, head, re.IGNORECASE):
            if module is iso27001 and not re.search(r"certif|zertifi|bescheinig", head, re.IGNORECASE):
                continue
            return module.KIND
    return "unknown"


def extract_fields(extracted: Extracted, today: date | None = None) -> dict:
    notes = list(extracted.notes)
    if not extracted.has_text:
        return {"kind": "unknown", "fields": {}, "notes": notes + [NO_TEXT]}
    empty = [page.number for page in extracted.pages if not any(line.strip() for line in page.lines)]
    if empty:
        notes.append(f"{len(empty)} page(s) without a text layer were not read: {', '.join(map(str, empty[:20]))}.")
    kind = classify(extracted.pages)
    if kind == "unknown":
        notes.append("Not recognised as an ISO/IEC 27001 certificate, SOC 2 report, bridge letter or C5 attestation.")
        return {"kind": kind, "fields": {}, "notes": notes}
    module = {m.KIND: m for m, _p in KINDS}[kind]
    fields, extra = module.extract(extracted.pages)
    notes.extend(extra)
    end = fields.get("period_end")
    if kind == "soc2_report" and end:
        today = today or date.today()
        ended = date.fromisoformat(end.value)
        if (today - ended).days > 365:
            notes.append(f"The report period ended on {end.value}, more than 12 months ago; ask for a current "
                         "report or a bridge letter.")
    return {"kind": kind, "fields": {name: hit.as_json() for name, hit in fields.items()}, "notes": notes}


def read_document(path: str, today: date | None = None) -> dict:
    """Read a PDF or DOCX file; raises :class:`DocumentError` if it is neither."""
    return extract_fields(read_file(path), today=today)
