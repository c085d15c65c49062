"""Writers for the record of processing activities: CSV, XLSX and DOCX, from :func:`ropa.build`'s data.

User-entered text in CSV and XLSX cells is made inert against formula injection by the shared rule of
``engine.spreadsheet`` (so ``unneutralize`` reads every value back exactly).

Gaps (a missing legal basis, no safeguard on file, no categories of personal data) are highlighted in
XLSX and DOCX and counted at the top; their cells say "none recorded" in every format, CSV included.
"""

from __future__ import annotations

import csv
import io
from typing import IO, Iterator

from django.utils import translation
from django.utils.translation import gettext as _

from vendorvet.engine.spreadsheet import neutralize as _safe
from vendorvet.web.legal import docx

GAP_FILL = "FFF2CC"


def iter_csv(data: dict, delimiter: str = ";") -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff"
    writer.writerow([c["label"] for c in data["columns"]])
    for r in data["rows"]:
        writer.writerow([_safe(v) for v in r])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _header(data: dict) -> list[tuple[str, str]]:
    s = data["settings"]
    if s is None:
        return []
    return [(label, value) for label, value in ((_("Controller"), s.controller), (_("Representative"), s.representative),
                                                (_("Data protection officer"), s.dpo)) if value]


def write_xlsx(data: dict, fh: IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    gap_fill = PatternFill("solid", start_color=GAP_FILL, end_color=GAP_FILL)
    with translation.override(data["language"]):
        title = data["title"]
        wb = Workbook()
        ws = wb.active
        ws.title = (_("Record of processing (processor)") if data["view"] == "processor"
                    else _("Record of processing activities"))[:31]
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        for label, value in _header(data):
            ws.append([label, _safe(value)])
        for message in data["gap_messages"]:
            ws.append([message])
            ws.cell(row=ws.max_row, column=1).fill = gap_fill
        for message in data["left_out_messages"]:
            ws.append([message])
        ws.append([])
        ws.append([c["label"] for c in data["columns"]])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        ws.append([c["article"] for c in data["columns"]])
        keys = [c["key"] for c in data["columns"]]
        for r, gaps in zip(data["rows"], data["gaps"]):
            ws.append([_safe(v) for v in r])
            for key in gaps:
                ws.cell(row=ws.max_row, column=keys.index(key) + 1).fill = gap_fill
        for col in ws.iter_cols(min_row=header_row):
            ws.column_dimensions[col[0].column_letter].width = 32
            for cell in col:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = ws.cell(row=header_row + 2, column=1)
    wb.save(fh)
    return len(data["rows"])


def docx_bytes(data: dict) -> bytes:
    """One section per processing activity: its fields as label and value, gaps highlighted."""
    P = docx.Paragraph
    with translation.override(data["language"]):
        paragraphs = [P(data["title"], "title")]
        for label, value in _header(data):
            paragraphs += [P(label, "label"), P(value)]
        paragraphs += [P(m, "gap") for m in data["gap_messages"]]
        paragraphs += [P(m) for m in data["left_out_messages"]]
        if not data["rows"]:
            paragraphs.append(P(_("No processing activities in this view.")))
        for r, gaps in zip(data["rows"], data["gaps"]):
            paragraphs.append(P(r[[c["key"] for c in data["columns"]].index("activity")], "heading"))
            for c, value in zip(data["columns"], r):
                if c["key"] == "activity":
                    continue
                label = f"{c['label']} ({c['article']})" if c["article"] else c["label"]
                paragraphs += [P(label, "label"), P(value or "—", "gap" if c["key"] in gaps else "body")]
        return docx.build(paragraphs, data["language"])
