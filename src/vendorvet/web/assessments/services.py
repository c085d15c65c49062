"""Writes of the assessment app, each with its role check — shared by web, API and CLI.

Permissions (accounts.roles): starting an assessment needs ``add``; answering, evidence, overrides,
status changes and the decision need ``change``; removing evidence needs ``delete``. Auditors
(view/export only) can therefore read everything and change nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendorvet.engine import scoring_review
from vendorvet.engine.checklist import load_checklist
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import evidence as evidence_rules
from vendorvet.web.assessments.models import (
    OPEN_STATUSES,
    OUTCOME_STATUS,
    Answer,
    Assessment,
    AssessmentStatus,
    Condition,
    Decision,
    Evidence,
    Outcome,
    ScoreOverride,
    evidence_storage,
)
from vendorvet.web.core import review
from vendorvet.web.core.context import require_actor, require_tenant
from vendorvet.web.inventory import services as inventory_services


def integration_conditions(integration) -> tuple[frozenset[str], list[str]]:
    return scoring_review.conditions_for(integration.data_categories, integration.processing_countries,
                                         integration.vendor.country)


def mandatory_ids(tier: int, conditions: Iterable[str]) -> list[str]:
    return [r.id for r in load_checklist().requirements_for_tier(tier, set(conditions))]


def optional_choices(assessment_or_tier, conditions=None) -> list:
    """Requirements not mandatory at the tier (candidates to add as optional)."""
    if isinstance(assessment_or_tier, Assessment):
        tier, conditions = assessment_or_tier.tier, assessment_or_tier.conditions
    else:
        tier = assessment_or_tier
    mandatory = set(mandatory_ids(tier, conditions or ()))
    return [r for r in load_checklist().requirements if r.id not in mandatory]


def _refuse_if_decided(assessment: Assessment) -> None:
    if assessment.is_decided:
        raise ValidationError(_("This assessment is decided and can no longer be changed."))


def _actor_user():
    return require_actor().user


@transaction.atomic
def start_assessment(integration, *, assignee=None, due_date: dt.date | None = None,
                     optional: Sequence[str] = ()) -> Assessment:
    """Create an assessment with one answer (unknown) per requirement the tier makes mandatory,
    plus the optional requirements chosen. The integration moves from proposed to in review."""
    roles.require(roles.ADD)
    if Assessment.objects.filter(integration=integration, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This integration already has an open assessment."))
    checklist = load_checklist()
    result = integration.tier_result()
    conditions, _reasons = integration_conditions(integration)
    mandatory = mandatory_ids(result.tier, conditions)
    unknown = [rid for rid in optional if rid not in {r.id for r in checklist.requirements}]
    if unknown:
        raise ValidationError(_("Unknown requirements: %(ids)s") % {"ids": ", ".join(unknown)})
    assessment = Assessment(integration=integration, assignee=assignee, due_date=due_date,
                            checklist_version=checklist.version, tier_at_start=result.tier,
                            tier_reasons=[{"rule": r.rule_id, "tier": r.tier, "text": r.text} for r in result.reasons],
                            conditions=sorted(conditions))
    inventory_services.save_object(assessment, creating=True)
    for rid in mandatory:
        inventory_services.save_object(Answer(assessment=assessment, requirement_id=rid, mandatory=True,
                                              tenant=assessment.tenant), creating=True)
    for rid in dict.fromkeys(optional):
        if rid not in mandatory:
            inventory_services.save_object(Answer(assessment=assessment, requirement_id=rid, mandatory=False,
                                                  tenant=assessment.tenant), creating=True)
    if integration.status == "proposed":
        integration.status = "in_review"
        inventory_services.save_object(integration, creating=False)
    return assessment


def update_assessment(assessment: Assessment, *, status: str | None = None, assignee=..., due_date=...) -> Assessment:
    roles.require(roles.CHANGE)
    _refuse_if_decided(assessment)
    if status is not None:
        if status == AssessmentStatus.DECIDED:
            raise ValidationError({"status": _("An assessment becomes decided only through a decision.")})
        assessment.status = status
    if assignee is not ...:
        assessment.assignee = assignee
    if due_date is not ...:
        assessment.due_date = due_date
    return inventory_services.save_object(assessment, creating=False)


@transaction.atomic
def set_tier_override(assessment: Assessment, tier: int | None, justification: str) -> Assessment:
    """Hold the assessment to another tier (recorded with its justification); the mandatory set follows."""
    roles.require(roles.DECIDE)
    _refuse_if_decided(assessment)
    assessment.tier_override = tier or None
    assessment.tier_override_justification = (justification or "").strip() if tier else ""
    inventory_services.save_object(assessment, creating=False)
    wanted = set(mandatory_ids(assessment.tier, assessment.conditions))
    existing = {a.requirement_id: a for a in assessment.answers.all()}
    for rid, answer in existing.items():
        if answer.mandatory != (rid in wanted):
            answer.mandatory = rid in wanted
            inventory_services.save_object(answer, creating=False)
    for rid in mandatory_ids(assessment.tier, assessment.conditions):
        if rid not in existing:
            inventory_services.save_object(Answer(assessment=assessment, requirement_id=rid, mandatory=True,
                                                  tenant=assessment.tenant), creating=False)
    return assessment


@transaction.atomic
def add_optional(assessment: Assessment, requirement_ids: Iterable[str]) -> list[Answer]:
    roles.require(roles.CHANGE)
    _refuse_if_decided(assessment)
    known = {r.id for r in load_checklist().requirements}
    existing = set(assessment.answers.values_list("requirement_id", flat=True))
    added = []
    for rid in dict.fromkeys(requirement_ids):
        if rid not in known:
            raise ValidationError(_("Unknown requirement %(id)s.") % {"id": rid})
        if rid in existing:
            continue
        added.append(inventory_services.save_object(
            Answer(assessment=assessment, requirement_id=rid, mandatory=False, tenant=assessment.tenant),
            creating=False))
    return added


@transaction.atomic
def answer(answer: Answer, value: str, comment: str | None = None, evidence: dict | None = None) -> Answer:
    """Record the answer to one review point. ``evidence`` is ``core.review.collect``'s result for this
    integration when the caller answers many points at once (collected once, not once per point)."""
    roles.require(roles.CHANGE)
    assessment = answer.assessment
    _refuse_if_decided(assessment)
    answer.value = value
    if comment is not None:
        answer.comment = comment
    answer.answered_by = _actor_user()
    answer.answered_at = timezone.now()
    # remember what the automated evidence said, so a later change shows as "evidence changed since your answer"
    if evidence is None:
        evidence = review.collect(assessment.integration, [answer.requirement_id])
    seen = evidence.get(answer.requirement_id, [])
    answer.evidence_fingerprint = review.fingerprint(seen)
    answer.evidence_seen = [s.seen() for s in seen]
    inventory_services.save_object(answer, creating=False)
    if assessment.status == AssessmentStatus.DRAFT:
        assessment.status = AssessmentStatus.IN_PROGRESS
        inventory_services.save_object(assessment, creating=False)
    return answer


def answer_by_id(assessment: Assessment, requirement_id: str, value: str, comment: str | None = None) -> Answer:
    found = assessment.answers.filter(requirement_id=requirement_id).first()
    if found is None:
        raise ValidationError(_("Requirement %(id)s is not part of this assessment.") % {"id": requirement_id})
    return answer(found, value, comment)


@transaction.atomic
def set_score_override(assessment: Assessment, key: str, points, justification: str) -> ScoreOverride:
    """Replace one deduction of the current score (0 … its rubric value), with a justification."""
    roles.require(roles.DECIDE)
    _refuse_if_decided(assessment)
    try:
        points = Decimal(str(points))
    except (InvalidOperation, ValueError):
        raise ValidationError({"points": _("Enter a number.")}) from None
    lines = {line.key: line for line in assessment.score().lines}
    line = lines.get(key)
    if line is None:
        raise ValidationError({"key": _("There is no deduction “%(key)s” to override.") % {"key": key}})
    if points < 0 or points > line.original:
        raise ValidationError({"points": _("Enter a value between 0 and %(max)s.")
                               % {"max": scoring_review.fmt(line.original)}})
    override = ScoreOverride.objects.filter(assessment=assessment, key=key).first() or \
        ScoreOverride(assessment=assessment, key=key, tenant=assessment.tenant)
    override.points = points
    override.justification = (justification or "").strip()
    override.created_by_label = require_actor().label[:150]
    # an override changes the assessment (permission "change"), whether or not it is a new row
    return inventory_services.save_object(override, creating=False)


def remove_score_override(override: ScoreOverride) -> None:
    roles.require(roles.DECIDE)
    _refuse_if_decided(override.assessment)
    override.delete()


@transaction.atomic
def add_evidence(answer: Answer, upload, description: str = "") -> Evidence:
    roles.require(roles.CHANGE)
    _refuse_if_decided(answer.assessment)
    name, content_type = evidence_rules.validate_upload(upload)
    digest = evidence_rules.sha256_of(upload)
    storage = evidence_storage()
    stored = storage.save(evidence_rules.storage_name(require_tenant().pk), upload)
    try:
        item = Evidence(answer=answer, original_name=name, content_type=content_type, size=upload.size,
                        sha256=digest, description=(description or "")[:300], tenant=answer.tenant)
        item.file.name = stored
        item.full_clean(exclude=["file"])
        item.save()
    except Exception:
        storage.delete(stored)
        raise
    return item


def delete_evidence(item: Evidence) -> None:
    roles.require(roles.DELETE)
    _refuse_if_decided(item.answer.assessment)
    name = item.file.name
    item.delete()
    transaction.on_commit(lambda: evidence_storage().delete(name))


def _condition_owner(owner):
    """A condition's owner: a member (User) or a named person (text)."""
    if owner is None or isinstance(owner, str):
        return (owner or "").strip(), None
    return (owner.get_full_name() or owner.get_username())[:200], owner


@transaction.atomic
def decide(assessment: Assessment, outcome: str, justification: str,
           conditions: Sequence[tuple] = (), decided_on: dt.date | None = None,
           risk_acceptance=None) -> Decision:
    """Record the decision, snapshot the score, set the next review date and the integration's status.

    The tenant's approval policy (:mod:`.policy`) is checked first; an approval that falls short of it goes
    through only with ``risk_acceptance`` (a :class:`.risk.AcceptanceInput`), by someone other than the main
    answerer. A refusal names every reason and the way forward.
    """
    from vendorvet.web.assessments import policy as approval_policy
    from vendorvet.web.assessments import risk

    roles.require(roles.DECIDE)
    _refuse_if_decided(assessment)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose approve, approve with conditions or reject.")})
    conditions = [(t.strip(), *_condition_owner(o), d) for t, o, d in conditions if (t or "").strip()]
    if outcome == Outcome.APPROVE_WITH_CONDITIONS:
        if not conditions:
            raise ValidationError({"conditions": _("Approval with conditions needs at least one condition.")})
        for text, owner, owner_user, due in conditions:
            if not owner or not due:
                raise ValidationError({"conditions": _("Every condition needs an owner and a due date.")})
    elif conditions:
        raise ValidationError({"conditions": _("Only an approval with conditions has conditions.")})
    actor = require_actor()
    decided_on = decided_on or timezone.localdate()
    result = assessment.score()
    policy = approval_policy.current()
    found = approval_policy.shortfalls(assessment, outcome, actor.user, result, policy)
    if risk_acceptance is not None:
        if outcome == Outcome.REJECT:
            raise ValidationError({"outcome": _("Only an approval can be a risk acceptance.")})
        if not policy.allow_risk_acceptance:
            raise ValidationError(approval_policy.refusal(found, with_acceptance=False, policy=policy)
                                  if found else _("This tenant's policy allows no risk acceptances."))
        if actor.user is not None and actor.user.pk in approval_policy.main_answerers(assessment) and \
                not any(s.code == "four_eyes" for s in found):
            found.append(approval_policy.Shortfall("four_eyes", _(
                "A risk acceptance must come from a second person, not the one who answered most of the review "
                "(you did)."), False))
        risk.validate(risk_acceptance, policy, decided_on)
    blocking = [s for s in found if not s.acceptable or risk_acceptance is None]
    if blocking:
        raise ValidationError(approval_policy.refusal(found, with_acceptance=risk_acceptance is not None,
                                                      policy=policy), code="policy")
    decision = Decision(assessment=assessment, outcome=outcome, reviewer=actor.user, reviewer_label=actor.label[:150],
                        decided_on=decided_on, justification=(justification or "").strip(), tier=assessment.tier,
                        score=result.score, grade=result.grade, tenant=assessment.tenant,
                        score_lines=[{"key": line.key, "points": str(line.points), "original": str(line.original),
                                      "en": line.text("en"), "de": line.text("de")} for line in result.lines],
                        next_review_date=scoring_review.next_review_date(decided_on, assessment.tier, outcome))
    decision.full_clean()
    decision.save()
    for text, owner, owner_user, due in conditions:
        condition = Condition(decision=decision, text=text, owner=owner, owner_user=owner_user, due_date=due,
                              tenant=assessment.tenant)
        condition.full_clean()
        condition.save()
    if risk_acceptance is not None:
        risk.create(decision, risk_acceptance, found)
    assessment.status = AssessmentStatus.DECIDED
    inventory_services.save_object(assessment, creating=False)
    integration = assessment.integration
    integration.status = OUTCOME_STATUS[outcome]
    inventory_services.save_object(integration, creating=False)
    return decision


def latest_assessment(integration) -> Assessment | None:
    return Assessment.objects.filter(integration=integration).select_related("decision").order_by(
        "-created", "-pk").first()
