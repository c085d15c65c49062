"""Standard questionnaires in and out — the wiring only. The readers and writers are pure engine code
(``vendorvet.engine.questionnaires.caiq`` / ``.xlsx``, built separately) and imported lazily here, so this app
works (and says so) before they are installed.

- :func:`import_caiq`: a vendor's completed CSA CAIQ v4 becomes a submitted questionnaire of the assessment whose
  points hold the mapped answers: they arrive on the review as *vendor-stated* suggestions, like portal answers.
- :func:`import_xlsx`: our own questionnaire, exported as a spreadsheet and filled in by the vendor, read back into
  the questionnaire's open points.
- :func:`export_xlsx`: the questionnaire's points as a spreadsheet for vendors who insist on one.

A malformed file is refused with the reader's message (row and column), and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy


from vendorvet.web.accounts import roles
from vendorvet.web.core.context import require_actor
from vendorvet.web.questionnaires.models import ItemState, Questionnaire, QuestionnaireItem, Status, VendorAnswer


class NotInstalled(RuntimeError):
    """The engine module for the standard questionnaires is not installed."""


def _engine(name: str):
    import importlib

    try:
        return importlib.import_module(f"vendorvet.engine.questionnaires.{name}")
    except ImportError:
        raise NotInstalled(name) from None


def available() -> bool:
    try:
        _engine("caiq")
        _engine("xlsx")
    except NotInstalled:
        return False
    return True


# uploads through the web and the API are capped below the engine's own 20 MB limit
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# the engine's stable error codes → people-facing text (no English engine text reaches a German page)
ERROR_TEXTS = {
    "unreadable": gettext_lazy("The file cannot be read."),
    "too_large": gettext_lazy("The file is too large."),
    "legacy_or_encrypted": gettext_lazy("This is an old Excel file (.xls) or a password-protected workbook; "
                                        "save it as .xlsx without a password."),
    "not_xlsx": gettext_lazy("The file is not an XLSX workbook."),
    "damaged": gettext_lazy("The workbook is damaged or incomplete."),
    "too_many_parts": gettext_lazy("The workbook has too many parts."),
    "zip_bomb": gettext_lazy("The workbook would expand to an unreasonable size."),
    "forbidden_xml": gettext_lazy("The workbook contains forbidden XML constructs."),
    "too_many_sheets": gettext_lazy("The workbook has too many sheets."),
    "too_many_rows": gettext_lazy("The sheet has too many rows."),
    "missing_sheet": gettext_lazy("An expected sheet is missing."),
    "missing_header": gettext_lazy("An expected column heading is missing or was changed."),
    "wrong_version": gettext_lazy("Only CAIQ version 4 can be read."),
    "no_questions": gettext_lazy("The sheet contains no questions."),
    "duplicate_question": gettext_lazy("This question appears twice."),
    "bad_answer": gettext_lazy("This is not an allowed answer."),
    "not_our_questionnaire": gettext_lazy("This is not a questionnaire exported by vendorvet."),
    "tampered": gettext_lazy("The rows or the control data of the workbook were altered."),
    "tampered_id": gettext_lazy("The ID of a point was changed; rows and IDs must stay as sent."),
}


class FileRefused(ValidationError):
    """A refused upload: the translated message plus where (``row``, ``column``) and the engine's ``code``."""

    def __init__(self, message: str, *, code: str = "invalid", row: int | None = None, column: str | None = None):
        super().__init__(message, code=code)
        self.error_code, self.row, self.column = code, row, column


def describe(exc) -> str:
    """The engine error in the active language, naming row and column where a cell is at fault."""
    text = str(ERROR_TEXTS.get(getattr(exc, "code", ""), _("The file could not be read.")))
    row, column = getattr(exc, "row", None), getattr(exc, "column", None)
    if row is not None and column:
        return _("Row %(row)s, column %(column)s: %(error)s") % {"row": row, "column": column, "error": text}
    if row is not None:
        return _("Row %(row)s: %(error)s") % {"row": row, "error": text}
    if column:
        return _("Column %(column)s: %(error)s") % {"column": column, "error": text}
    return text


def refused(exc, prefix: str) -> FileRefused:
    return FileRefused(prefix % {"error": describe(exc)}, code=getattr(exc, "code", "invalid"),
                       row=getattr(exc, "row", None), column=getattr(exc, "column", None))


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused (nothing read beyond the cap) when larger than MAX_UPLOAD_BYTES."""
    if upload is None:
        raise FileRefused(_("Choose a file."), code="required")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise FileRefused(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                          code="too_large")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRefused(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                          code="too_large")
    return data


# the engine's answer words (CAIQ and our spreadsheet) → the checklist's answer values; "unknown" stores nothing
ENGINE_ANSWERS = {"yes": VendorAnswer.MET, "partial": VendorAnswer.PARTLY_MET, "no": VendorAnswer.NOT_MET,
                  "not_applicable": VendorAnswer.NOT_APPLICABLE}


def _value(answer: str) -> str | None:
    return ENGINE_ANSWERS.get(answer) or (answer if answer in VendorAnswer.values else None)


def _apply(q: Questionnaire, answers, source: str, vendor: bool = False) -> int:
    """Write (requirement id → vendor answer) into the questionnaire's points; returns how many were stored."""
    items = {i.requirement_id: i for i in q.items.all()}
    now, stored = timezone.now(), 0
    for a in answers:
        value = _value(a.answer)
        if value is None:
            continue
        item = items.get(a.requirement_id)
        if item is None or item.state in (ItemState.ACCEPTED, ItemState.REJECTED):
            continue
        if vendor and not item.vendor_may_answer:
            continue
        ref = f" [{a.source_ref}]" if getattr(a, "source_ref", "") else ""
        item.vendor_answer, item.vendor_comment = value, f"{a.comment or ''}{ref}".strip()
        item.answered_at, item.answered_by_label, item.state = now, source[:200], ItemState.ANSWERED
        item.save()
        stored += 1
    return stored


@transaction.atomic
def import_caiq(assessment, path, due_date: dt.date | None = None) -> Questionnaire:
    """Map a completed CAIQ v4 onto the assessment's points as a submitted, vendor-stated questionnaire."""
    roles.require(roles.CHANGE)
    caiq = _engine("caiq")
    try:
        parsed = caiq.read_caiq(path)
    except caiq.CaiqError as exc:
        raise refused(exc, _("The CAIQ file was not imported: %(error)s")) from None
    wanted = set(assessment.answers.values_list("requirement_id", flat=True))
    mapped = [a for a in parsed.answers if a.requirement_id in wanted and _value(a.answer)]
    if not mapped:
        raise ValidationError(_("The CAIQ file answers none of this assessment's points."))
    q = Questionnaire(assessment=assessment, due_date=due_date or timezone.localdate(), status=Status.SUBMITTED,
                      submitted_at=timezone.now(), sent_by_label=require_actor().label[:150],
                      tenant=assessment.tenant)
    q.save()
    for rid in dict.fromkeys(a.requirement_id for a in mapped):
        QuestionnaireItem(questionnaire=q, requirement_id=rid, tenant=q.tenant,
                          question={"en": "CSA CAIQ v4", "de": "CSA CAIQ v4"}).save()
    _apply(q, mapped, "CSA CAIQ v4")
    return q


@transaction.atomic
def import_xlsx(questionnaire: Questionnaire, path, *, vendor: bool = False) -> int:
    """Read our exported spreadsheet back, filled in by the vendor, into the questionnaire's open points.

    ``vendor``: called from the vendor portal, where the personal link (checked by the caller) is the permission;
    the points the vendor may no longer answer are left alone there."""
    if not vendor:
        roles.require(roles.CHANGE)
    xlsx = _engine("xlsx")
    try:
        answers = xlsx.read_questionnaire_xlsx(
            path, secret=_sheet_secret(questionnaire),
            expected_ids=set(questionnaire.items.values_list("requirement_id", flat=True)))
    except Exception as exc:  # the reader's own error type names row and column
        if isinstance(exc, (OSError, MemoryError)):
            raise
        raise refused(exc, _("The spreadsheet was not imported: %(error)s")) from None
    if vendor:
        if not questionnaire.vendor_may_write:
            raise FileRefused(_("This questionnaire can no longer be answered."), code="closed")
        stored = _apply(questionnaire, answers, _("spreadsheet"), vendor=True)
        if stored and questionnaire.status in (Status.SENT, Status.OPENED):
            # a draft: the vendor checks the answers on the page and submits them there
            questionnaire.status = Status.IN_PROGRESS
            questionnaire.save()
        return stored
    stored = _apply(questionnaire, answers, _("spreadsheet"))
    if stored and questionnaire.status != Status.CLOSED:
        questionnaire.status, questionnaire.submitted_at = Status.SUBMITTED, timezone.now()
        questionnaire.save()
    return stored


def export_xlsx(questionnaire: Questionnaire, out, language: str | None = None, *, vendor: bool = False) -> None:
    """The points (requirement id, question, what we observed) as a spreadsheet in the questionnaire's language."""
    if not vendor:
        roles.require(roles.EXPORT)
    language = language or questionnaire.language
    models = _engine("models")
    points = [models.QuestionPoint(requirement_id=i.requirement_id, question=i.question_in(language),
                                   observed="\n".join(str(o) for o in i.observed_in(language)))
              for i in questionnaire.items.all()]
    _engine("xlsx").write_questionnaire_xlsx(points, out, language, secret=_sheet_secret(questionnaire))


def _sheet_secret(questionnaire: Questionnaire) -> bytes:
    """The key that binds an exported sheet's point ids to this questionnaire (an edited id is refused on import)."""
    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), f"questionnaire-xlsx:{questionnaire.pk}".encode(),
                    hashlib.sha256).digest()
