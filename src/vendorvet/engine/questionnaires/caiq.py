"""Read a vendor's completed CSA CAIQ v4 workbook and map its answers to our checklist requirements.

The CAIQ v4.0.x / v4.1 XLSX (Cloud Security Alliance, STAR Level 1 self-assessment) has an "Introduction"
sheet and one questionnaire sheet (named like ``CAIQv4.0.3``) whose title row names the version and whose
header row holds — among others — "Question ID", "Question", "CSP CAIQ Answer" (Yes / No / NA),
"SSRM Control Ownership", "CSP Implementation Description" and "CSC Responsibilities". The reader finds the
sheet and the header row by those names rather than by fixed positions, so CSA's small layout changes
between 4.0.1, 4.0.2, 4.0.3 and 4.1 do not matter.

Which CAIQ question answers which of our requirements, and how several answers add up, is content:
``content/caiq_v4_mapping.yaml`` (rule stated there). Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vendorvet import content
from vendorvet.content import ContentError
from vendorvet.engine.questionnaires.models import (
    DEFAULT_LIMITS, NO, NOT_APPLICABLE, PARTIAL, UNKNOWN, YES, CaiqImport, CaiqQuestion, Limits,
    QuestionnaireFileError, VendorAnswer,
)
from vendorvet.engine.questionnaires.workbook import Source, column_letter, iter_rows, normalise_header, open_workbook

QUESTION_ID = re.compile(r"^([A-Z&]{3})-(\d{2})\.(\d{1,2})$")
VERSION = re.compile(r"v\s*(\d+\.\d+(?:\.\d+)?)", re.IGNORECASE)
HEADER_SEARCH_ROWS = 25

CAIQ_ANSWERS = {
    "yes": YES, "y": YES,
    "no": NO, "n": NO,
    "na": NOT_APPLICABLE, "n/a": NOT_APPLICABLE, "n.a.": NOT_APPLICABLE, "not applicable": NOT_APPLICABLE,
}
# header (normalised) → our key; first match wins, so the longer names come first
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("question_id", ("question id",)),
    ("answer", ("csp caiq answer", "caiq answer", "csp answer", "answer")),
    ("ownership", ("ssrm control ownership", "control ownership")),
    ("implementation", ("csp implementation description", "implementation description")),
    ("csc", ("csc responsibilities",)),
    ("question", ("question", "assessment question")),
)
VENDOR_LABELS = ("csp name", "cloud service provider name", "cloud service provider", "organization name",
                 "organisation name", "company name", "provider name", "vendor name", "vendor")


class CaiqError(QuestionnaireFileError):
    """The workbook is not a readable CAIQ v4; ``row``/``column`` name the offending cell where there is one."""


# --------------------------------------------------------------------------- the mapping (content)


@dataclass(frozen=True)
class CaiqMapping:
    version: str
    domains: frozenset[str]
    questions_by_requirement: dict[str, tuple[str, ...]] = field(hash=False)
    rationale: dict[str, str] = field(hash=False)

    @property
    def requirements_by_question(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for requirement, questions in self.questions_by_requirement.items():
            for question in questions:
                out.setdefault(question, []).append(requirement)
        return {q: tuple(r) for q, r in out.items()}


def build_mapping(data: AbcMapping[str, Any], requirement_ids: set[str] | None = None) -> CaiqMapping:
    """Validate ``caiq_v4_mapping.yaml``; every requirement must exist in the checklist."""
    def fail(message: str):
        raise ContentError(f"caiq_v4_mapping: {message}")

    domains = frozenset(data.get("domains") or ())
    if len(domains) != 17:
        fail("'domains' must list the 17 CCM v4 domain codes")
    entries = data.get("mappings")
    if not isinstance(entries, list) or not entries:
        fail("'mappings' must be a non-empty list")
    by_requirement: dict[str, tuple[str, ...]] = {}
    rationale: dict[str, str] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, AbcMapping) or set(entry) != {"requirement", "questions", "rationale"}:
            fail(f"mappings[{index}]: needs exactly 'requirement', 'questions' and 'rationale'")
        requirement = entry["requirement"]
        if requirement_ids is not None and requirement not in requirement_ids:
            fail(f"mappings[{index}]: unknown requirement {requirement!r}")
        if requirement in by_requirement:
            fail(f"mappings[{index}]: requirement {requirement!r} mapped twice")
        questions = entry["questions"]
        if not isinstance(questions, list) or not questions:
            fail(f"{requirement}: 'questions' must be a non-empty list")
        for question in questions:
            match = QUESTION_ID.match(str(question))
            if not match or match.group(1) not in domains:
                fail(f"{requirement}: {question!r} is not a CAIQ v4 question id (DOMAIN-NN.N)")
        if len(set(questions)) != len(questions):
            fail(f"{requirement}: a question is listed twice")
        if not str(entry["rationale"] or "").strip():
            fail(f"{requirement}: 'rationale' is empty")
        by_requirement[requirement] = tuple(questions)
        rationale[requirement] = str(entry["rationale"]).strip()
    return CaiqMapping(version=str(data["version"]), domains=domains,
                       questions_by_requirement=by_requirement, rationale=rationale)


@lru_cache(maxsize=1)
def load_mapping() -> CaiqMapping:
    from vendorvet.engine.checklist import load_checklist

    checklist = load_checklist()
    return build_mapping(content.load("caiq_v4_mapping"), {r.id for r in checklist.requirements})


# --------------------------------------------------------------------------- aggregation


def aggregate(answers: list[str]) -> str:
    """Several normalised CAIQ answers on one requirement → one answer (rule in caiq_v4_mapping.yaml)."""
    present = [a for a in answers if a != NOT_APPLICABLE]
    if not present:
        return NOT_APPLICABLE if answers else UNKNOWN
    if NO in present:
        return PARTIAL if YES in present else NO
    if UNKNOWN in present:
        return UNKNOWN
    return YES


# --------------------------------------------------------------------------- reading the workbook


def _error(message: str, row: int | None = None, column: int | None = None, *, code: str,
           sheet: str | None = None, header: str | None = None, **params: Any) -> CaiqError:
    return CaiqError(message, row=row, column=column_letter(column) if column else None, code=code,
                     sheet=sheet, header=header, params=params)


def _as_caiq_error(exc: QuestionnaireFileError) -> CaiqError:
    return CaiqError(exc.message, row=exc.row, column=exc.column, code=exc.code, sheet=exc.sheet,
                     header=exc.header, params=exc.params)


def _match_columns(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(cells, start=1):
        name = normalise_header(text)
        if not name:
            continue
        for key, names in COLUMNS:
            if key not in found and (name in names or (key != "question" and any(name.startswith(n) for n in names
                                                                                   if len(n) > 8))):
                found[key] = index
                break
    return found


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int], list[str]] | None:
    previous: list[str] = []
    for number, cells in rows:
        columns = _match_columns(cells)
        if "question_id" in columns:
            if "answer" not in columns and previous:
                # a grouped header: "CSP CAIQ Answer" over the answer column in the row above
                above = _match_columns(previous)
                if "answer" in above:
                    columns["answer"] = above["answer"]
            return number, columns, cells
        previous = cells
    return None


def _version(sheet_name: str, top: list[tuple[int, list[str]]]) -> str | None:
    texts = [sheet_name] + [c for _, cells in top for c in cells if "caiq" in c.lower() or "questionnaire" in c.lower()
                            or re.fullmatch(r"v\s*\d+\.\d+(\.\d+)?", c.strip(), re.IGNORECASE)]
    for text in texts:
        match = VERSION.search(text)
        if match:
            return match.group(1)
    return None


def _vendor_name(wb, limits: Limits) -> str | None:
    for name in wb.sheetnames:
        for _, cells in iter_rows(wb[name], limits, max_row=30):
            for index, text in enumerate(cells[:-1]):
                if normalise_header(text) in VENDOR_LABELS and cells[index + 1].strip():
                    return cells[index + 1].strip()[:200]
    return None


def _pick_sheet(wb, limits: Limits):
    """The questionnaire sheet: the first with a 'Question ID' header, CAIQ-named sheets first."""
    names = sorted(wb.sheetnames, key=lambda n: (0 if "caiq" in n.lower() and "intro" not in n.lower() else 1))
    for name in names:
        top = list(iter_rows(wb[name], limits, max_row=HEADER_SEARCH_ROWS))
        found = _find_header(top)
        if found:
            return name, top, found
    caiq_named = [n for n in names if "caiq" in n.lower() and "intro" not in n.lower()]
    if caiq_named:
        raise _error(f"no header row with a 'Question ID' column in the first {HEADER_SEARCH_ROWS} rows",
                     code="missing_header", sheet=caiq_named[0], rows=HEADER_SEARCH_ROWS)
    raise _error("no CAIQ questionnaire sheet found (expected a sheet such as 'CAIQv4.0.3' with the columns "
                 "'Question ID' and 'CSP CAIQ Answer')", code="missing_sheet", sheets=list(wb.sheetnames))


def read_caiq(source: Source, *, mapping: CaiqMapping | None = None, limits: Limits = DEFAULT_LIMITS) -> CaiqImport:
    """Read a completed CAIQ v4 XLSX (path, bytes or binary file) into vendor-stated answers per requirement.

    Raises :class:`CaiqError` (with ``row``/``column`` where a cell is at fault) for anything that is not a
    readable CAIQ v4: not an XLSX, damaged or truncated, too large or a zip bomb, no questionnaire sheet, no
    header, a CAIQ version other than 4.x, a question id listed twice, or an answer other than Yes/No/NA in
    a row whose question we map. Unknown answers in rows we do not map are only warned about.
    """
    mapping = mapping or load_mapping()
    by_question = mapping.requirements_by_question
    warnings: list[str] = []

    def warn(text: str) -> None:
        if len(warnings) < limits.max_warnings:
            warnings.append(text)
        elif len(warnings) == limits.max_warnings:
            warnings.append("further warnings left out")

    try:
        with open_workbook(source, limits) as wb:
            sheet, top, (header_row, columns, header_cells) = _pick_sheet(wb, limits)
            if "answer" not in columns:
                raise _error("the header row has no 'CSP CAIQ Answer' column", header_row, code="missing_header",
                             sheet=sheet, column_name="CSP CAIQ Answer")
            version = _version(sheet, top)
            if version is None:
                warn("the CAIQ version is not stated in the workbook; read as CAIQ v4")
                version = "4"
            elif not version.startswith("4"):
                raise _error(f"this is CAIQ v{version}; only CAIQ v4 (4.0.x, 4.1) can be read", code="wrong_version",
                             sheet=sheet, version=version)
            vendor = _vendor_name(wb, limits)
            questions = _read_rows(wb[sheet], sheet, header_row, columns, header_cells, by_question, mapping,
                                   limits, warn)
    except CaiqError:
        raise
    except QuestionnaireFileError as exc:
        raise _as_caiq_error(exc) from None

    if not questions:
        raise _error("the questionnaire sheet contains no CAIQ question rows", header_row + 1,
                     columns["question_id"], code="no_questions", sheet=sheet, header="Question ID")
    answers = _answers(questions, mapping, version)
    absent = [r for r, qs in mapping.questions_by_requirement.items() if not any(q in questions for q in qs)]
    if absent:
        warn(f"{len(absent)} mapped requirement(s) have none of their questions in this workbook: "
             + ", ".join(absent[:10]) + (" …" if len(absent) > 10 else ""))
    for q in questions.values():
        if q.ownership and normalise_header(q.ownership).startswith("csc") and q.question_id in by_question:
            warn(f"row {q.row}: {q.question_id} is marked CSC-owned — the vendor says the customer implements it")
    unmapped = [qid for qid in questions if qid not in by_question]
    return CaiqImport(version=version, vendor_name=vendor, answers=answers, unmapped=unmapped, warnings=warnings,
                      sheet=sheet, questions=list(questions.values()), mapping_version=mapping.version)


def _read_rows(ws, sheet, header_row, columns, header_cells, by_question, mapping, limits, warn) -> dict[str, CaiqQuestion]:
    qid_col, answer_col = columns["question_id"], columns["answer"]
    answer_header = header_cells[answer_col - 1] if answer_col <= len(header_cells) and header_cells[answer_col - 1] \
        else "CSP CAIQ Answer"

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cells[index - 1].strip() if index and index <= len(cells) else ""

    questions: dict[str, CaiqQuestion] = {}
    for number, cells in iter_rows(ws, limits):
        if number <= header_row:
            continue
        raw_id = cell(cells, "question_id")
        if not raw_id:
            continue
        qid = re.sub(r"\s+", "", raw_id).upper().replace("&AMP;", "&")
        match = QUESTION_ID.match(qid)
        if not match:
            warn(f"row {number}: '{raw_id[:40]}' in column {column_letter(qid_col)} is not a CAIQ question id; "
                 "row skipped")
            continue
        if match.group(1) not in mapping.domains:
            warn(f"row {number}: {qid} names no CCM v4 domain; row skipped")
            continue
        if qid in questions:
            raise _error(f"question {qid} appears again (first in row {questions[qid].row})", number, qid_col,
                         code="duplicate_question", sheet=sheet, header="Question ID", question=qid,
                         first_row=questions[qid].row)
        raw_answer = cell(cells, "answer")
        answer = CAIQ_ANSWERS.get(re.sub(r"\s+", " ", raw_answer).strip().lower()) if raw_answer else UNKNOWN
        if answer is None:
            if qid in by_question:
                raise _error(f"'{raw_answer[:40]}' is not a CAIQ answer for {qid} (expected Yes, No or NA)", number,
                             answer_col, code="bad_answer", sheet=sheet, header=answer_header, question=qid,
                             value=raw_answer[:40])
            warn(f"row {number}: '{raw_answer[:40]}' is not a CAIQ answer (Yes/No/NA) for {qid}; not used")
            answer = UNKNOWN
        questions[qid] = CaiqQuestion(question_id=qid, row=number, answer=answer, raw_answer=raw_answer,
                                      ownership=cell(cells, "ownership"), implementation=cell(cells, "implementation"),
                                      csc_responsibilities=cell(cells, "csc"))
    return questions


def _answers(questions: dict[str, CaiqQuestion], mapping: CaiqMapping, version: str) -> list[VendorAnswer]:
    out = []
    label = f"CAIQ v{version}"
    for requirement, ids in mapping.questions_by_requirement.items():
        found = [questions[q] for q in ids if q in questions]
        if not found:
            continue
        lines = []
        for q in found:
            line = f"{q.question_id} (row {q.row}): {q.raw_answer or 'no answer'}"
            if q.ownership:
                line += f" [{q.ownership}]"
            if q.implementation:
                line += f" — {q.implementation[:1000]}"
            lines.append(line)
        out.append(VendorAnswer(requirement_id=requirement, answer=aggregate([q.answer for q in found]),
                                comment="\n".join(lines),
                                source_ref=f"{label} " + ", ".join(q.question_id for q in found)))
    return out
