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
from django.utils.translation import gettext as _

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


# the engine's answer words (CAIQ and our spreadsheet) → the checklist's answer values; "unknown" stores nothing
ENGINE_ANSWERS = {"yes": VendorAnswer.MET, "partial": VendorAnswer.PARTLY_MET, "no": VendorAnswer.NOT_MET,
                  "not_applicable": VendorAnswer.NOT_APPLICABLE}


def _value(answer: str) -> str | None:
    return ENGINE_ANSWERS.get(answer) or (answer if answer in VendorAnswer.values else None)


def _apply(q: Questionnaire, answers, source: str) -> int:
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
        raise ValidationError(_("The CAIQ file was not imported: %(error)s") % {"error": exc}) from None
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
def import_xlsx(questionnaire: Questionnaire, path) -> int:
    """Read our exported spreadsheet back, filled in by the vendor, into the questionnaire's open points."""
    roles.require(roles.CHANGE)
    xlsx = _engine("xlsx")
    try:
        answers = xlsx.read_questionnaire_xlsx(
            path, secret=_sheet_secret(questionnaire),
            expected_ids=set(questionnaire.items.values_list("requirement_id", flat=True)))
    except Exception as exc:  # the reader's own error type names row and column
        if isinstance(exc, (OSError, MemoryError)):
            raise
        raise ValidationError(_("The spreadsheet was not imported: %(error)s") % {"error": exc}) from None
    stored = _apply(questionnaire, answers, _("spreadsheet"))
    if stored and questionnaire.status != Status.CLOSED:
        questionnaire.status, questionnaire.submitted_at = Status.SUBMITTED, timezone.now()
        questionnaire.save()
    return stored


def export_xlsx(questionnaire: Questionnaire, out, language: str | None = None) -> None:
    """The points (requirement id, question, what we observed) as a spreadsheet in the questionnaire's language."""
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
