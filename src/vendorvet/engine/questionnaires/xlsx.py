"""Our own questionnaire as an XLSX workbook for vendors who insist on spreadsheets, and its re-import.

Layout (``write_questionnaire_xlsx``):

- sheet 1 "Hinweise" / "Instructions": what the file is, the questionnaire's details (``meta``), how to
  answer, the allowed answers;
- sheet 2 "Fragebogen" / "Questionnaire": one row per point — A the requirement id (hidden and locked),
  B the question, C what we already observed, D the answer (a drop-down of the allowed answers in the
  file's language), E a comment. The sheet is protected; only D and E are editable;
- a very hidden control sheet ``_vendorvet`` with the format, the language, which id belongs in which row,
  the meta data and a SHA-256 digest over them (an HMAC when the caller passes a ``secret``).

``read_questionnaire_xlsx`` refuses a workbook whose control sheet is missing or altered, whose id column
was changed (naming row and column), or whose answer is not one of the allowed words; German and English
answer words are both accepted, whatever the file's language. Every text written is neutralised against
formula injection. Pure Python (openpyxl), no Django.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Union

from vendorvet.engine.questionnaires.models import (
    ANSWERS, DEFAULT_LIMITS, NO, NOT_APPLICABLE, PARTIAL, UNKNOWN, YES, Limits, QuestionnaireFileError,
    QuestionPoint, VendorAnswer,
)
from vendorvet.engine.questionnaires.workbook import (
    Source, cell_text, iter_rows, neutralize, normalise_header, open_workbook,
)
from vendorvet.engine.spreadsheet import unneutralize

FORMAT = "vendorvet-questionnaire/1"
CONTROL_SHEET = "_vendorvet"
REQUIREMENT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
LANGUAGES = ("de", "en")

ANSWER_WORDS: dict[str, dict[str, str]] = {
    "de": {YES: "Ja", NO: "Nein", PARTIAL: "Teilweise", NOT_APPLICABLE: "Nicht zutreffend", UNKNOWN: "Unbekannt"},
    "en": {YES: "Yes", NO: "No", PARTIAL: "Partial", NOT_APPLICABLE: "Not applicable", UNKNOWN: "Unknown"},
}
# every spelling accepted on re-import (lower case), whatever the file's language
_ACCEPTED: dict[str, str] = {word.lower(): key for words in ANSWER_WORDS.values() for key, word in words.items()}
_ACCEPTED.update({key.replace("_", " "): key for key in ANSWERS})
_ACCEPTED.update({key: key for key in ANSWERS})
_ACCEPTED.update({"n/a": NOT_APPLICABLE, "na": NOT_APPLICABLE, "n. z.": NOT_APPLICABLE, "entfällt": NOT_APPLICABLE,
                  "teilweise ja": PARTIAL, "partially": PARTIAL, "weiß nicht": UNKNOWN, "unklar": UNKNOWN})

TEXTS = {
    "de": {
        "info_sheet": "Hinweise", "sheet": "Fragebogen",
        "headers": ("Kennung", "Frage", "Unsere Beobachtung", "Antwort", "Kommentar"),
        "title": "Sicherheitsfragebogen",
        "intro": ("Wir prüfen die Sicherheit und den Datenschutz Ihres Dienstes. Was wir selbst prüfen konnten "
                  "(Scans, Spezifikationen, Dokumente), fragen wir nicht; dieser Fragebogen enthält nur die "
                  "Punkte, die wir nicht selbst bestätigen konnten."),
        "how": ("So füllen Sie ihn aus: Im Blatt „Fragebogen“ wählen Sie in der Spalte „Antwort“ je Zeile eine "
                "der erlaubten Antworten aus der Liste und erläutern sie bei Bedarf unter „Kommentar“. "
                "Die Spalte „Unsere Beobachtung“ zeigt, was wir bereits festgestellt haben. Bitte ändern Sie "
                "keine Zeilen, Kennungen oder Blätter — sonst können wir die Datei nicht einlesen."),
        "statement": ("Ihre Antworten gelten als Selbstauskunft des Anbieters; wir halten sie getrennt von dem, "
                      "was wir selbst geprüft haben. Nachweise (Zertifikate, Prüfberichte) senden Sie bitte "
                      "gesondert."),
        "answers_title": "Erlaubte Antworten", "details": "Angaben",
        "meta_labels": {"vendor": "Anbieter", "integration": "Dienst", "requester": "Angefragt von",
                        "contact": "Ansprechpartner", "due": "Antwort erbeten bis", "reference": "Referenz"},
        "prompt": "Bitte eine Antwort aus der Liste wählen.", "error": "Nur die Antworten aus der Liste sind möglich.",
    },
    "en": {
        "info_sheet": "Instructions", "sheet": "Questionnaire",
        "headers": ("ID", "Question", "What we observed", "Answer", "Comment"),
        "title": "Security questionnaire",
        "intro": ("We are reviewing the security and data protection of your service. We do not ask what we "
                  "could check ourselves (scans, specifications, documents); this questionnaire contains only "
                  "the points we could not confirm."),
        "how": ("How to fill it in: on the sheet \"Questionnaire\", pick one of the allowed answers from the list "
                "in the column \"Answer\" for each row and explain it under \"Comment\" where needed. The column "
                "\"What we observed\" shows what we already found. Please do not change rows, IDs or sheets — "
                "otherwise we cannot read the file back."),
        "statement": ("Your answers count as the vendor's statement; we keep them apart from what we verified "
                      "ourselves. Please send evidence (certificates, audit reports) separately."),
        "answers_title": "Allowed answers", "details": "Details",
        "meta_labels": {"vendor": "Vendor", "integration": "Service", "requester": "Requested by",
                        "contact": "Contact", "due": "Please answer by", "reference": "Reference"},
        "prompt": "Please pick an answer from the list.", "error": "Only the answers from the list are allowed.",
    },
}
ID_HEADERS = {TEXTS[lang]["headers"][0].lower() for lang in LANGUAGES}
ANSWER_HEADERS = {TEXTS[lang]["headers"][3].lower() for lang in LANGUAGES}
COMMENT_HEADERS = {TEXTS[lang]["headers"][4].lower() for lang in LANGUAGES}

Out = Union[str, os.PathLike, IO[bytes]]


class QuestionnaireXlsxError(QuestionnaireFileError):
    """Our questionnaire workbook cannot be read back; ``row``/``column`` name the offending cell."""


@dataclass(frozen=True)
class QuestionnaireXlsx:
    """A re-imported questionnaire workbook: the answers and what the control sheet says about it."""

    answers: list[VendorAnswer]
    language: str
    meta: dict[str, str] = field(default_factory=dict)
    requirement_ids: tuple[str, ...] = ()


def _digest(payload: dict[str, Any], secret: bytes | None) -> str:
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if secret:
        return "hmac-sha256:" + hmac.new(secret, data, hashlib.sha256).hexdigest()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _clean_meta(meta: Mapping[str, Any] | None) -> dict[str, str]:
    out = {}
    for key, value in (meta or {}).items():
        if value in (None, ""):
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", str(key)):
            raise ValueError(f"meta key {key!r}: use lower-case letters, digits and _")
        out[str(key)] = cell_text(value)[:2000]
    return out


def write_questionnaire_xlsx(points: Iterable[QuestionPoint], out: Out, language: str = "de",
                             meta: Mapping[str, Any] | None = None, *, secret: bytes | None = None) -> None:
    """Write our questionnaire for ``points`` as an XLSX to ``out`` (a path or a binary file).

    ``meta`` (optional) — e.g. ``vendor``, ``integration``, ``requester``, ``contact``, ``due``,
    ``reference`` — is shown on the instructions sheet (known keys with a label) and kept in the control
    sheet; ``secret`` turns the control digest into an HMAC only the holder of the secret can recompute.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    points = list(points)
    ids = [p.requirement_id for p in points]
    bad = [i for i in ids if not REQUIREMENT_ID.match(i or "")]
    if bad:
        raise ValueError(f"not a requirement id: {bad[0]!r}")
    if len(set(ids)) != len(ids):
        raise ValueError("a requirement appears twice in the questionnaire")
    text = TEXTS[language]
    words = ANSWER_WORDS[language]
    meta = _clean_meta(meta)
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)

    wb = Workbook()
    info = wb.active
    info.title = text["info_sheet"]
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90
    lines: list[tuple[str, str]] = [(text["title"], "")]
    lines += [("", text["intro"]), ("", text["how"]), ("", text["statement"]), ("", "")]
    labelled = [(text["meta_labels"][k], meta[k]) for k in text["meta_labels"] if k in meta]
    if labelled:
        lines += [(text["details"], "")] + labelled + [("", "")]
    lines += [(text["answers_title"], "")] + [("", words[key]) for key in ANSWERS]
    for number, (label, value) in enumerate(lines, start=1):
        info.cell(number, 1, neutralize(label)).font = bold
        info.cell(number, 2, neutralize(value)).alignment = wrap
    info.protection.sheet = True

    ws = wb.create_sheet(text["sheet"])
    for col, header in enumerate(text["headers"], start=1):
        cell = ws.cell(1, col, header)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    for col, width in zip("ABCDE", (24, 60, 50, 20, 50)):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "B2"
    unlocked = Protection(locked=False)
    for row, point in enumerate(points, start=2):
        ws.cell(row, 1, point.requirement_id)
        ws.cell(row, 2, neutralize(point.question)).alignment = wrap
        ws.cell(row, 3, neutralize(point.observed or "")).alignment = wrap
        for col in (4, 5):
            cell = ws.cell(row, col)
            cell.protection = unlocked
            cell.alignment = wrap
    if points:
        choices = ",".join(words[key] for key in ANSWERS)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True, showDropDown=False,
                                    showErrorMessage=True, showInputMessage=True, errorTitle=text["headers"][3],
                                    error=text["error"], promptTitle=text["headers"][3], prompt=text["prompt"])
        validation.add(f"D2:D{len(points) + 1}")
        ws.add_data_validation(validation)
    ws.protection.sheet = True
    ws.protection.formatRows = False  # rows may be made taller to read long comments
    wb.active = 1

    control = wb.create_sheet(CONTROL_SHEET)
    control.sheet_state = "veryHidden"
    payload = {"format": FORMAT, "language": language, "sheet": ws.title,
               "rows": [[row, pid] for row, pid in enumerate(ids, start=2)], "meta": meta}
    control.append(["format", FORMAT])
    control.append(["language", language])
    control.append(["sheet", ws.title])
    control.append(["digest", _digest(payload, secret)])
    control.append(["meta", neutralize(json.dumps(meta, ensure_ascii=False, sort_keys=True))])
    control.append(["rows", len(ids)])
    for row, pid in payload["rows"]:
        control.append([row, pid])
    control.protection.sheet = True
    wb.save(out)


def _fail(message: str, row: int | None = None, column: str | None = None, *, code: str, sheet: str | None = None,
          header: str | None = None, **params: Any) -> QuestionnaireXlsxError:
    return QuestionnaireXlsxError(message, row=row, column=column, code=code, sheet=sheet, header=header,
                                  params=params)


def _read_control(wb, limits: Limits) -> dict[str, Any]:
    if CONTROL_SHEET not in wb.sheetnames:
        raise _fail("this is not a vendorvet questionnaire workbook (its control sheet is missing)",
                    code="not_our_questionnaire")
    cells = {number: values for number, values in iter_rows(wb[CONTROL_SHEET], limits)}
    header = {cells.get(n, ["", ""])[0]: cells.get(n, ["", ""])[1] for n in range(1, 7)}
    if header.get("format") != FORMAT:
        raise _fail("this workbook is not in a questionnaire format this version can read", code="not_our_questionnaire")
    try:
        meta = json.loads(unneutralize(header.get("meta") or "{}"))
        count = int(header.get("rows") or "0")
    except (ValueError, TypeError):
        raise _fail("the workbook's control data was altered", code="tampered") from None
    rows = []
    for number in range(7, 7 + count):
        values = cells.get(number) or ["", ""]
        try:
            rows.append([int(values[0]), values[1]])
        except (ValueError, IndexError):
            raise _fail("the workbook's control data was altered", code="tampered") from None
    return {"format": FORMAT, "language": header.get("language"), "sheet": header.get("sheet"), "rows": rows,
            "meta": meta, "digest": header.get("digest") or ""}


def _answer(raw: str) -> str | None:
    return _ACCEPTED.get(re.sub(r"\s+", " ", raw).strip().lower())


def read_questionnaire_workbook(source: Source, *, secret: bytes | None = None,
                                expected_ids: Iterable[str] | None = None,
                                limits: Limits = DEFAULT_LIMITS) -> QuestionnaireXlsx:
    """Re-import a workbook made by :func:`write_questionnaire_xlsx` and filled in by the vendor.

    Rows without answer and comment are left out; a comment without answer gives ``unknown``.
    ``expected_ids`` (the points actually asked) and ``secret`` (as given when writing) make the check
    stricter. Raises :class:`QuestionnaireXlsxError` with row and column on any tampering or bad answer.
    """
    try:
        with open_workbook(source, limits) as wb:
            control = _read_control(wb, limits)
            payload = {k: control[k] for k in ("format", "language", "sheet", "rows", "meta")}
            if not hmac.compare_digest(control["digest"], _digest(payload, secret)):
                raise _fail("the workbook's control data was altered", code="tampered")
            sheet = control["sheet"]
            if sheet not in wb.sheetnames:
                raise _fail(f"the sheet '{sheet}' is missing", code="missing_sheet", sheet=sheet)
            expected = {row: pid for row, pid in control["rows"]}
            if expected_ids is not None:
                extra = set(expected.values()) - set(expected_ids)
                if extra:
                    raise _fail("the workbook asks points that were not sent: " + ", ".join(sorted(extra)),
                                code="tampered")
            answers = _read_answers(wb[sheet], sheet, expected, limits)
    except QuestionnaireXlsxError:
        raise
    except QuestionnaireFileError as exc:
        raise QuestionnaireXlsxError(exc.message, row=exc.row, column=exc.column, code=exc.code, sheet=exc.sheet,
                                     header=exc.header, params=exc.params) from None
    language = control["language"] if control["language"] in LANGUAGES else "en"
    meta = {str(k): str(v) for k, v in (control["meta"] or {}).items()}
    return QuestionnaireXlsx(answers=answers, language=language, meta=meta,
                             requirement_ids=tuple(expected[row] for row in sorted(expected)))


def read_questionnaire_xlsx(source: Source, *, secret: bytes | None = None,
                            expected_ids: Iterable[str] | None = None,
                            limits: Limits = DEFAULT_LIMITS) -> list[VendorAnswer]:
    """The answers of a filled-in questionnaire workbook (see :func:`read_questionnaire_workbook`)."""
    return read_questionnaire_workbook(source, secret=secret, expected_ids=expected_ids, limits=limits).answers


def _read_answers(ws, sheet: str, expected: dict[int, str], limits: Limits) -> list[VendorAnswer]:
    rows = iter_rows(ws, limits)
    first = next(rows, None)
    headers = [h.lower() for h in first[1]] if first else []
    layout = (("A", 0, ID_HEADERS), ("D", 3, ANSWER_HEADERS), ("E", 4, COMMENT_HEADERS))
    for letter, index, names in layout:
        if index >= len(headers) or normalise_header(headers[index]) not in names:
            raise _fail("the header row was changed", 1, letter, code="missing_header", sheet=sheet)
    answers: list[VendorAnswer] = []
    last = max(expected) if expected else 1
    for number, cells in rows:
        cells = cells + [""] * (5 - len(cells))
        found_id, raw_answer, comment = cells[0].strip(), cells[3].strip(), cells[4].strip()
        wanted = expected.get(number)
        if wanted is None:
            if any(c.strip() for c in cells):
                raise _fail("a row was added below the questionnaire" if number > last else "unexpected row",
                            number, "A", code="tampered", sheet=sheet, header=TEXTS["en"]["headers"][0])
            continue
        if found_id != wanted:
            raise _fail(f"the ID was changed (expected {wanted}, found {found_id[:60] or 'nothing'}); rows and IDs "
                        "must stay as sent", number, "A", code="tampered_id", sheet=sheet,
                        header=TEXTS["en"]["headers"][0], expected=wanted, found=found_id[:60])
        if not raw_answer and not comment:
            continue
        answer = _answer(raw_answer) if raw_answer else UNKNOWN
        if answer is None:
            allowed = ", ".join(ANSWER_WORDS["en"].values())
            raise _fail(f"'{raw_answer[:40]}' is not an allowed answer ({allowed}, or the German words)", number,
                        "D", code="bad_answer", sheet=sheet, header=TEXTS["en"]["headers"][3], value=raw_answer[:40])
        answers.append(VendorAnswer(requirement_id=wanted, answer=answer, comment=comment[:10000],
                                    source_ref=f"row {number}"))
    return answers
