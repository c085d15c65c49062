"""The record of processing activities (Art. 30 GDPR) and a transfer impact assessment as print data.

The register's rows come from :func:`legal.ropa.build` — the same data as its XLSX, CSV and DOCX exports — with
the gaps it marks (a missing legal basis, no safeguard on file) kept visible in the PDF.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vendorvet.web.legal import ropa
from vendorvet.web.legal.views_docs import tia_sections


def ropa_data(view: str, language: str, include: str = "current") -> dict:
    built = ropa.build(view, language, include)
    settings = built["settings"]
    header = []
    with translation.override(language):
        if settings is not None:
            header = [{"label": str(label), "value": value} for label, value in (
                (_("Controller"), settings.controller), (_("Representative"), settings.representative),
                (_("Data protection officer"), settings.dpo)) if value]
    keys = [c["key"] for c in built["columns"]]
    rows = []
    for values, gaps in zip(built["rows"], built["gaps"]):
        rows.append([{"label": str(col["label"]), "article": str(col["article"]), "value": str(v),
                      "gap": k in gaps} for k, v, col in zip(keys, values, built["columns"])])
    return {"kind": "ropa", "language": language, "view": built["view"], "include": built["include"],
            "title": str(built["title"]), "header": header,
            "columns": [{"label": str(c["label"]), "article": str(c["article"])} for c in built["columns"]],
            "rows": rows, "gap_messages": [str(m) for m in built["gap_messages"]],
            "left_out_messages": [str(m) for m in built["left_out_messages"]]}


def tia_data(tia, language: str) -> dict:
    with translation.override(language):
        sections = [{"label": str(s["label"]), "help": str(s["help"]), "text": s["text"] or ""}
                    for s in tia_sections(tia)]
        reasoning = [str(x) for x in tia.assessment.reasoning(language)] if tia.assessment else []
        meta = [
            {"label": _("Integration"), "value": tia.integration.name},
            {"label": _("Vendor"), "value": tia.integration.vendor.name},
            {"label": _("State"), "value": str(tia.get_state_display())},
            {"label": _("Last updated"), "value": timezone.localtime(tia.last_updated).strftime("%Y-%m-%d %H:%M")},
            {"label": _("Method"), "value": _("EDPB Recommendations 01/2020 on supplementary measures, version 2.0")},
        ]
    return {"kind": "tia", "language": language, "title": tia.title, "state": tia.state,
            "meta": [{"label": str(m["label"]), "value": str(m["value"])} for m in meta],
            "reasoning": reasoning, "sections": sections}
