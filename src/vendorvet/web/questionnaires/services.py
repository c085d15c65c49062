"""The questionnaire cycle, shared by web, API and CLI: send, answer (vendor), decide, clarify, remind, close.

Assessor writes check the role (``change``); the vendor's writes run as a ``system`` actor labelled with the
recipient, in the questionnaire's tenant, and reach nothing but that questionnaire's items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vendorvet.engine.checklist import load_checklist
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import evidence as evidence_rules
from vendorvet.web.assessments import services as assessment_services
from vendorvet.web.assessments.models import AssessmentStatus
from vendorvet.web.core import review
from vendorvet.web.core.context import Actor, require_actor
from vendorvet.web.questionnaires import links, mail, virus
from vendorvet.web.questionnaires.models import (
    ItemState,
    Questionnaire,
    QuestionnaireItem,
    Recipient,
    Status,
    VendorAnswer,
    VendorFile,
)

LANGS = ("en", "de")
SETTLED = {"met", "not_applicable"}  # a verified suggestion of these settles a point: it is not asked by default
RANK = {"not_met": 0, "partly_met": 1, "met": 2, "not_applicable": 2}
GRACE_DAYS = 30  # a link stays valid this long after the due date


@dataclass(frozen=True)
class Addressee:
    name: str
    email: str
    language: str = "en"
    contact: object = None


def default_language(vendor) -> str:
    return "de" if (vendor.country or "").upper() in {"DE", "AT", "CH", "LI"} else "en"


# --------------------------------------------------------------------------- what to ask

def default_requirements(assessment) -> list[str]:
    """Every mandatory point of the review's depth still unanswered whose verified evidence does not settle it
    (no evidence, could not check, or a verified problem the vendor should explain)."""
    open_answers = [a for a in assessment.answers.all() if a.mandatory and a.value == "unknown"]
    found = review.collect(assessment.integration, [a.requirement_id for a in open_answers])
    out = []
    for a in open_answers:
        verified = {s.suggested for s in found.get(a.requirement_id, []) if s.verified and s.suggested}
        if verified and verified <= SETTLED:
            continue
        out.append(a.requirement_id)
    return out


def _observations(suggestions) -> tuple[list[str], list[dict]]:
    """(lines shown to the vendor, verified facts kept for the contradiction check) in the active language."""
    lines, verified = [], []
    for s in suggestions:
        if s.vendor_stated:
            continue
        if s.verified:
            texts = [str(p.text) + (f" ({p.where})" if p.where else "") for p in s.problems] or \
                    [str(x) for x in s.lines]
            when = s.at.date().isoformat() if isinstance(s.at, dt.datetime) else (s.at.isoformat() if s.at else "")
            for text in texts[:5]:
                lines.append(_("Our %(source)s on %(date)s: %(text)s") % {"source": s.source, "date": when,
                                                                         "text": text} if when
                             else _("Our %(source)s: %(text)s") % {"source": s.source, "text": text})
            verified.append({"source": str(s.source), "at": when, "suggested": s.suggested or "",
                             "text": texts[0] if texts else ""})
        elif s.could_not_check:
            lines.append(_("We could not check this automatically: %(reason)s") % {"reason": s.reason})
    return lines, verified


def _question(requirement, language: str, has_problem: bool) -> str:
    text = requirement.text_for(language) if requirement else ""
    with translation.override(language):
        ask = _("Is this in place for your service? If not fully: what is planned, and by when?") if has_problem \
            else _("Is this in place for your service? Please describe how, and add evidence if you have it.")
    return f"{text}\n{ask}".strip()


def _items_for(assessment, requirement_ids) -> list[dict]:
    checklist = load_checklist()
    per_lang = {}
    for lang in LANGS:
        with translation.override(lang):
            per_lang[lang] = review.collect(assessment.integration, requirement_ids)
    out = []
    for rid in requirement_ids:
        try:
            requirement = checklist.requirement(rid)
        except KeyError:
            raise ValidationError(_("Unknown requirement %(id)s.") % {"id": rid}) from None
        observed, verified = {}, []
        for lang in LANGS:
            with translation.override(lang):
                lines, facts = _observations(per_lang[lang].get(rid, []))
            observed[lang] = lines
            if lang == "en":
                verified = facts
        problem = any(f["suggested"] in ("not_met", "partly_met") for f in verified)
        out.append({"requirement_id": rid, "observed": observed, "verified": verified,
                    "question": {lang: _question(requirement, lang, problem) for lang in LANGS}})
    return out


# --------------------------------------------------------------------------- links and mail

def link_url(token: str, base_url: str = "") -> str:
    from django.urls import reverse

    base = (base_url or getattr(settings, "VENDORVET_BASE_URL", "") or "").rstrip("/")
    return f"{base}{reverse('questionnaires:portal', args=[token])}"


def _expiry(questionnaire) -> dt.datetime:
    end = dt.datetime.combine(questionnaire.due_date + dt.timedelta(days=GRACE_DAYS), dt.time(23, 59))
    return timezone.make_aware(end) if timezone.is_naive(end) else end


def _issue(questionnaire, addressee: Addressee, forwarded_by=None) -> tuple[Recipient, str]:
    token, digest = links.new_link()
    recipient = Recipient(questionnaire=questionnaire, name=addressee.name.strip()[:200],
                          email=addressee.email.strip(), language=addressee.language if addressee.language in LANGS
                          else "en", forwarded_by=forwarded_by, token_hash=digest, expires=_expiry(questionnaire),
                          tenant=questionnaire.tenant)
    recipient.full_clean(exclude=["tenant", "token_hash"])
    recipient.save()
    return recipient, token


def _rotate(recipient) -> str:
    """A fresh link for the recipient (each e-mail carries one); the earlier link stops working."""
    token, digest = links.new_link()
    recipient.token_hash, recipient.expires = digest, _expiry(recipient.questionnaire)
    recipient.save()
    return token


@transaction.atomic
def send(assessment, addressees: list[Addressee], due_date: dt.date, requirement_ids: list[str] | None = None,
         *, require_code: bool = False, base_url: str = "") -> Questionnaire:
    """Create the questionnaire with its points and e-mail each addressee a personal link."""
    roles.require(roles.CHANGE)
    if assessment.is_decided:
        raise ValidationError(_("This assessment is decided and can no longer be changed."))
    if not addressees:
        raise ValidationError({"contacts": _("Choose at least one contact with an e-mail address.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date lies in the past.")})
    wanted = list(dict.fromkeys(requirement_ids if requirement_ids is not None else default_requirements(assessment)))
    in_assessment = set(assessment.answers.values_list("requirement_id", flat=True))
    foreign = [rid for rid in wanted if rid not in in_assessment]
    if foreign:
        raise ValidationError({"points": _("Not part of this assessment: %(ids)s") % {"ids": ", ".join(foreign)}})
    if not wanted:
        raise ValidationError({"points": _("There is nothing to ask: choose at least one point.")})
    actor = require_actor()
    questionnaire = Questionnaire(assessment=assessment, due_date=due_date, require_code=require_code,
                                  language=addressees[0].language if addressees[0].language in LANGS else "en",
                                  sent_by_label=actor.label[:150], tenant=assessment.tenant)
    questionnaire.full_clean(exclude=["tenant"])
    questionnaire.save()
    for spec in _items_for(assessment, wanted):
        QuestionnaireItem(questionnaire=questionnaire, tenant=assessment.tenant, **spec).save()
    issued = [_issue(questionnaire, a) for a in addressees]
    if assessment.status in (AssessmentStatus.DRAFT, AssessmentStatus.IN_PROGRESS):
        assessment_services.update_assessment(assessment, status=AssessmentStatus.AWAITING_VENDOR)
    for recipient, token in issued:
        transaction.on_commit(lambda r=recipient, t=token: mail.send_link(r, link_url(t, base_url), "invite"))
    return questionnaire


# --------------------------------------------------------------------------- the vendor's side

def vendor_actor(recipient) -> Actor:
    return Actor(kind="system", label=f"vendor: {recipient.name} <{recipient.email}>"[:150])


def mark_opened(recipient) -> None:
    q = recipient.questionnaire
    changed = False
    if recipient.opened_at is None:
        recipient.opened_at = timezone.now()
        recipient.save()
        changed = True
    if q.status == Status.SENT:
        q.status = Status.OPENED
        q.save()
        changed = True
    return changed


def send_code(recipient) -> None:
    code, digest = links.new_code()
    recipient.code_hash, recipient.code_expires = digest, timezone.now() + dt.timedelta(minutes=links.CODE_MINUTES)
    recipient.save()
    transaction.on_commit(lambda: mail.send_code(recipient, code))


@transaction.atomic
def save_answers(recipient, answers: dict[int, tuple[str, str]], uploads: dict[int, list] | None = None,
                 *, submit: bool = False) -> list[str]:
    """Store the vendor's answers (item id -> (answer value or "", free text)) and files; on ``submit``, every point
    the vendor may answer needs an answer. Returns the problems (nothing is stored when there are any)."""
    q = Questionnaire.all_tenants.select_for_update().get(pk=recipient.questionnaire_id)
    if not q.vendor_may_write:
        raise ValidationError(_("This questionnaire can no longer be changed."))
    items = {i.pk: i for i in q.items.all()}
    writable = {pk: i for pk, i in items.items() if i.vendor_may_answer}
    problems: list[str] = []
    stored_files = []
    for pk, files in (uploads or {}).items():
        if pk not in writable:
            raise ValidationError(_("This point cannot be changed."))
        for upload in files:
            try:
                name, content_type = evidence_rules.validate_upload(upload)
            except ValidationError as exc:
                problems.append(f"{getattr(upload, 'name', '')}: {' '.join(exc.messages)}")
                continue
            verdict = virus.scan(upload)
            if not verdict.clean:
                problems.append(f"{name}: {verdict.note}")
                continue
            stored_files.append((writable[pk], upload, name, content_type, verdict.note))
    for pk, (value, comment) in answers.items():
        if pk not in writable:
            raise ValidationError(_("This point cannot be changed."))
        if value and value not in VendorAnswer.values:
            problems.append(_("Choose one of the answers offered."))
    if submit:
        missing = [i for pk, i in writable.items() if not (answers.get(pk, (i.vendor_answer, ""))[0])]
        if missing:
            problems.append(_("Please answer every point before you submit (%(n)d open).") % {"n": len(missing)})
    if problems:
        transaction.set_rollback(True)
        return problems
    now, who = timezone.now(), f"{recipient.name} <{recipient.email}>"[:200]
    for pk, (value, comment) in answers.items():
        item = writable[pk]
        if (item.vendor_answer, item.vendor_comment) != (value, comment.strip()):
            item.vendor_answer, item.vendor_comment = value, comment.strip()
            item.answered_at, item.answered_by_label = now, who
            item.save()
    for item, upload, name, content_type, note in stored_files:
        vf = VendorFile(item=item, original_name=name, content_type=content_type, size=upload.size,
                        sha256=evidence_rules.sha256_of(upload), uploaded_by_label=who, virus_scan=note,
                        tenant=q.tenant)
        vf.file.save(evidence_rules.storage_name(q.tenant_id), upload, save=False)
        vf.save()
    if submit:
        for item in writable.values():
            item.refresh_from_db()
            item.state = ItemState.ANSWERED
            item.save()
        q.status, q.submitted_at = Status.SUBMITTED, now
    elif q.status in (Status.SENT, Status.OPENED):
        q.status = Status.IN_PROGRESS
    q.save()
    return []


def forward(recipient, addressee: Addressee, base_url: str = "") -> Recipient:
    """Hand the questionnaire to a colleague: a new personal link for them (the forwarder's stays valid)."""
    if not recipient.questionnaire.vendor_may_write:
        raise ValidationError(_("This questionnaire can no longer be changed."))
    with transaction.atomic():
        colleague, token = _issue(recipient.questionnaire, addressee, forwarded_by=recipient)
        transaction.on_commit(lambda: mail.send_link(colleague, link_url(token, base_url), "forward",
                                                     sender=recipient))
    return colleague


# --------------------------------------------------------------------------- the assessor's side

def _vendor_comment(item) -> str:
    with translation.override(item.questionnaire.language):
        label = dict(VendorAnswer.choices)[item.vendor_answer]
        text = _("Vendor-stated (questionnaire of %(date)s): %(answer)s") % {
            "date": item.answered_at.date().isoformat() if item.answered_at else "", "answer": label}
    return f"{text}\n{item.vendor_comment}".strip()


@transaction.atomic
def decide(item, decision: str, note: str = "") -> QuestionnaireItem:
    """accept (the vendor's answer becomes the assessment's answer, scored as vendor-stated), reject, or
    follow_up (the point is asked again in the next clarification round, with ``note``)."""
    roles.require(roles.CHANGE)
    q = item.questionnaire
    if not q.is_open:
        raise ValidationError(_("This questionnaire is closed."))
    if item.answered_at is None or item.state not in (ItemState.ANSWERED, ItemState.ACCEPTED, ItemState.REJECTED,
                                                      ItemState.FOLLOW_UP):
        raise ValidationError(_("The vendor has not answered this point yet."))
    actor = require_actor()
    if decision == "accept":
        answer = q.assessment.answers.filter(requirement_id=item.requirement_id).first()
        if answer is None:
            raise ValidationError(_("Requirement %(id)s is not part of this assessment.") % {"id": item.requirement_id})
        answer = assessment_services.answer(answer, item.vendor_answer, _vendor_comment(item))
        item.state, item.applied_answer_at = ItemState.ACCEPTED, answer.answered_at
    elif decision == "reject":
        item.state = ItemState.REJECTED
    elif decision == "follow_up":
        if not (note or "").strip():
            raise ValidationError({"note": _("Say what the vendor should clarify.")})
        item.state, item.follow_up_note = ItemState.FOLLOW_UP, note.strip()
    else:
        raise ValidationError(_("Unknown decision."))
    item.decided_at, item.decided_by_label = timezone.now(), actor.label[:150]
    item.save()
    return item


@transaction.atomic
def request_clarification(questionnaire, base_url: str = "", due_date: dt.date | None = None) -> int:
    """Reopen only the follow-up points for the vendor; every usable recipient gets a fresh link by e-mail."""
    roles.require(roles.CHANGE)
    if not questionnaire.is_open:
        raise ValidationError(_("This questionnaire is closed."))
    if not questionnaire.items.filter(state=ItemState.FOLLOW_UP).exists():
        raise ValidationError(_("Ask a follow-up on at least one point first."))
    questionnaire.status, questionnaire.round = Status.IN_CLARIFICATION, questionnaire.round + 1
    if due_date:
        questionnaire.due_date = due_date
    questionnaire.save()
    sent = 0
    for recipient in questionnaire.recipients.filter(revoked=None):
        token = _rotate(recipient)
        transaction.on_commit(lambda r=recipient, t=token: mail.send_link(r, link_url(t, base_url), "clarification"))
        sent += 1
    return sent


def close(questionnaire) -> Questionnaire:
    roles.require(roles.CHANGE)
    with transaction.atomic():
        now = timezone.now()
        for recipient in questionnaire.recipients.filter(revoked=None):
            recipient.revoked = now
            recipient.save()
        questionnaire.status, questionnaire.closed_at = Status.CLOSED, now
        questionnaire.save()
    return questionnaire


def revoke(recipient) -> Recipient:
    roles.require(roles.CHANGE)
    if recipient.revoked is None:
        recipient.revoked = timezone.now()
        recipient.save()
    return recipient


# --------------------------------------------------------------------------- reminders

def remind_days() -> int:
    return int(getattr(settings, "VENDORVET_QUESTIONNAIRE_REMIND_DAYS", 3))


def due_reminders(today: dt.date | None = None, base_url: str = "") -> list[tuple[Questionnaire, str]]:
    """E-mail the reminders that are due in the active tenant (each once): ``before`` within the reminder window
    before the due date, ``overdue`` after it. Returns (questionnaire, kind) of each one sent."""
    today = today or timezone.localdate()
    out = []
    for q in Questionnaire.objects.filter(status__in=[Status.SENT, Status.OPENED, Status.IN_PROGRESS,
                                                      Status.IN_CLARIFICATION]):
        days = (q.due_date - today).days
        kind = "overdue" if days < 0 else ("before" if days <= remind_days() else "")
        key = f"{kind}:{q.due_date.isoformat()}"
        if not kind or key in q.reminders_sent:
            continue
        with transaction.atomic():
            for recipient in q.recipients.filter(revoked=None):
                token = _rotate(recipient)
                transaction.on_commit(lambda r=recipient, t=token, k=kind: mail.send_link(
                    r, link_url(t, base_url), "reminder_" + k))
            q.reminders_sent = [*q.reminders_sent, key]
            q.save()
        out.append((q, kind))
    return out
