"""Data shared by the standard-questionnaire readers and writers (pure Python, no Django).

A :class:`VendorAnswer` is what a vendor *states* about one of our checklist requirements — never a
verified fact. The web layer turns it into a review suggestion with the provenance "vendor-stated".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

YES, NO, PARTIAL, NOT_APPLICABLE, UNKNOWN = "yes", "no", "partial", "not_applicable", "unknown"
ANSWERS: tuple[str, ...] = (YES, NO, PARTIAL, NOT_APPLICABLE, UNKNOWN)


@dataclass(frozen=True)
class VendorAnswer:
    """The vendor's statement on one checklist requirement."""

    requirement_id: str
    answer: str  # one of ANSWERS: "yes" | "no" | "partial" | "not_applicable" | "unknown"
    comment: str
    source_ref: str  # where it came from, e.g. "CAIQ v4.0.3 IAM-14.1, IAM-02.1" or "row 14"

    def __post_init__(self) -> None:
        if self.answer not in ANSWERS:
            raise ValueError(f"answer must be one of {ANSWERS}, got {self.answer!r}")


@dataclass(frozen=True)
class QuestionPoint:
    """One point of our own questionnaire: the requirement asked about, the question, what we observed."""

    requirement_id: str
    question: str
    observed: str = ""


class QuestionnaireFileError(ValueError):
    """A questionnaire workbook cannot be read; nothing may be stored from it.

    ``row`` (1-based sheet row) and ``column`` (letter, e.g. ``"C"``) name the cell where that applies;
    ``header`` is the column's header text, ``sheet`` the worksheet. ``code`` is a stable, language-free
    reason (``not_xlsx``, ``missing_header``, ``bad_answer`` …) and ``params`` its values, so a web page can
    word the message in the reader's language; ``str(error)`` is an English sentence naming row and column.
    """

    def __init__(self, message: str, row: int | None = None, column: str | None = None, *,
                 code: str = "invalid", sheet: str | None = None, header: str | None = None,
                 params: dict[str, Any] | None = None):
        self.message = message
        self.row = row
        self.column = column
        self.code = code
        self.sheet = sheet
        self.header = header
        self.params = dict(params or {})
        super().__init__(self._text())

    def _text(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        return (", ".join(where) + ": " + self.message) if where else self.message


@dataclass(frozen=True)
class Limits:
    """Caps for untrusted workbooks (a CAIQ v4.1 has 283 questions; our questionnaire about 70 rows)."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 1000
    max_compression_ratio: int = 150
    ratio_min_size: int = 1024 * 1024
    max_rows: int = 5000
    max_columns: int = 60
    max_sheets: int = 50
    max_warnings: int = 50


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class CaiqQuestion:
    """One answered row of a CAIQ workbook, as read (answers normalised to ANSWERS)."""

    question_id: str
    row: int
    answer: str
    raw_answer: str
    ownership: str = ""
    implementation: str = ""
    csc_responsibilities: str = ""


@dataclass(frozen=True)
class CaiqImport:
    """The result of :func:`vendorvet.engine.questionnaires.caiq.read_caiq`."""

    version: str
    vendor_name: str | None
    answers: list[VendorAnswer]
    unmapped: list[str]
    warnings: list[str]
    sheet: str = ""
    questions: list[CaiqQuestion] = field(default_factory=list)
    mapping_version: str = ""
