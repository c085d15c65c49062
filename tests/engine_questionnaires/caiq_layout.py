"""Build CAIQ v4 test workbooks from the public layout of CSA's XLSX — with placeholder question texts.

CSA's CAIQ is licensed for use, not redistribution, so no CSA question text is shipped here. The layout
follows the published CAIQv4.0.x "STAR Security Questionnaire" workbook: an "Introduction" sheet, then a
questionnaire sheet named like ``CAIQv4.0.3`` with a title row naming the version and a header row
"Question ID | Question | CSP CAIQ Answer | SSRM Control Ownership | CSP Implementation Description
(Optional/Recommended) | CSC Responsibilities (Optional/Recommended) | CCM Control ID | …".
"""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADERS = ["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
           "CSP Implementation Description (Optional/Recommended)", "CSC Responsibilities (Optional/Recommended)",
           "CCM Control ID", "CCM Control Specification", "CCM Control Title", "CCM Domain Title"]
# a few questions we do not map (HR, datacenter, endpoint management)
UNMAPPED = ["HRS-01.1", "DCS-01.1", "UEM-01.1", "GRC-01.1"]


def mapped_ids() -> list[str]:
    from vendorvet.engine.questionnaires import load_mapping

    seen: list[str] = []
    for questions in load_mapping().questions_by_requirement.values():
        for q in questions:
            if q not in seen:
                seen.append(q)
    return seen


def build(answers: dict[str, object] | None = None, *, default: str | None = "Yes", version: str = "4.0.3",
          vendor: str | None = "Beispiel Cloud GmbH", grouped_header: bool = False, extra_rows=(),
          sheet_name: str | None = None, headers: list[str] | None = None, ids: list[str] | None = None) -> bytes:
    """A completed CAIQ workbook. ``answers`` maps question id → answer or (answer, ownership, description);
    every other question (mapped ones plus UNMAPPED) gets ``default``."""
    answers = dict(answers or {})
    ids = ids if ids is not None else mapped_ids() + UNMAPPED
    wb = Workbook()
    intro = wb.active
    intro.title = "Introduction"
    intro["A1"] = f"CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v{version}"
    intro["A3"] = "Placeholder introduction text."
    if vendor:
        intro["A5"], intro["B5"] = "CSP Name", vendor
    ws = wb.create_sheet(sheet_name or f"CAIQv{version}")
    ws["A1"] = f"CONSENSUS ASSESSMENTS INITIATIVE QUESTIONNAIRE v{version}"
    headers = headers or HEADERS
    if grouped_header:
        # CSA's later layout: group titles over the answer columns, column names one row below
        ws.append(["", "", "CSP CAIQ Answer", "SSRM Control Ownership", "", "", "CCM"])
        ws.append(["Question ID", "Question", "", "", "CSP Implementation Description",
                   "CSC Responsibilities", "CCM Control ID"])
    else:
        ws.append(headers)
    for qid in ids:
        value = answers.get(qid, default)
        ownership, description = "CSP-owned", f"Placeholder implementation note for {qid}."
        if isinstance(value, tuple):
            value, ownership, description = value
        control = qid.split(".")[0]
        ws.append([qid, f"Placeholder question text {qid}", value, ownership, description, "", control,
                   "Placeholder control specification", "Placeholder title", "Placeholder domain"])
    for row in extra_rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(data: bytes, qid: str) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[1]
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row and row[0] == qid:
            return number
    raise KeyError(qid)
