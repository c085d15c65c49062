"""Risk acceptances, conditions tracked to done, and the DPO's legal sign-off — writes with their role checks.

A risk acceptance is created only together with an approval (:func:`services.decide`); the register lists
them with their state (active, expiring soon, lapsed). The calendar checks in :mod:`.calendar` remind before
an acceptance expires and record the lapse; an integration whose current approval rests on a lapsed
acceptance is flagged (:func:`lapsed_approval`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendorvet.engine.checklist import load_checklist
from vendorvet.web.accounts import roles
from vendorvet.web.assessments.models import Condition, Decision
from vendorvet.web.assessments.models_policy import AcceptanceState, LegalSignOff, RiskAcceptance
from vendorvet.web.assessments.policy import LEGAL_POINT
from vendorvet.web.core.context import require_actor, require_tenant


@dataclass(frozen=True)
class AcceptanceInput:
    risk_owner: str = ""
    justification: str = ""
    compensating_controls: str = ""
    expires_on: dt.date | None = None
    risk_owner_user: object = None  # a member (User) — then ``risk_owner`` defaults to their name


def validate(data: AcceptanceInput, policy, start: dt.date) -> None:
    errors: dict[str, str] = {}
    if not (data.risk_owner or "").strip() and data.risk_owner_user is None:
        errors["risk_owner"] = _("Name the risk owner (a member or a named person).")
    if not (data.justification or "").strip():
        errors["risk_justification"] = _("A risk acceptance needs a justification.")
    if not (data.compensating_controls or "").strip():
        errors["compensating_controls"] = _("Describe the compensating controls (or why there are none).")
    if data.expires_on is None:
        errors["expires_on"] = _("A risk acceptance needs an expiry date.")
    elif data.expires_on <= start:
        errors["expires_on"] = _("The expiry date must lie after the decision date.")
    elif (data.expires_on - start).days > policy.max_acceptance_days:
        errors["expires_on"] = _("The policy allows a risk acceptance of at most %(days)d days (until %(date)s).") % {
            "days": policy.max_acceptance_days, "date": (start + dt.timedelta(days=policy.max_acceptance_days))}
    if errors:
        raise ValidationError(errors)


def create(decision: Decision, data: AcceptanceInput, shortfalls) -> RiskAcceptance:
    """Called inside :func:`services.decide`'s transaction (the decide permission is checked there)."""
    actor = require_actor()
    owner = (data.risk_owner or "").strip()
    if not owner and data.risk_owner_user is not None:
        owner = data.risk_owner_user.get_full_name() or data.risk_owner_user.get_username()
    acceptance = RiskAcceptance(
        decision=decision, integration=decision.assessment.integration, risk_owner=owner[:200],
        risk_owner_user=data.risk_owner_user, justification=data.justification.strip(),
        compensating_controls=data.compensating_controls.strip(), expires_on=data.expires_on,
        shortfalls=[{"code": s.code, "text": s.text} for s in shortfalls], accepted_by=actor.user,
        accepted_by_label=actor.label[:150], accepted_on=decision.decided_on, tenant=decision.tenant)
    acceptance.full_clean()
    acceptance.save()
    return acceptance


def register(*, state: str = "", integration=None, owner: str = "", today: dt.date | None = None,
             warn_days: int = 30) -> list[RiskAcceptance]:
    """The risk acceptance register, filtered by state, integration and risk owner."""
    today = today or timezone.localdate()
    qs = RiskAcceptance.objects.select_related("integration__vendor", "decision__assessment").order_by(
        "expires_on", "pk")
    if integration is not None:
        qs = qs.filter(integration=integration)
    if owner:
        qs = qs.filter(risk_owner__icontains=owner)
    rows = list(qs)
    for row in rows:
        row.current_state = row.state(today, warn_days)
        row.current = is_current(row)
    if state in AcceptanceState.values:
        rows = [r for r in rows if r.current_state == state]
    return rows


def is_current(acceptance: RiskAcceptance) -> bool:
    """Whether the acceptance's decision is still the integration's latest decision."""
    latest = Decision.objects.filter(assessment__integration_id=acceptance.integration_id).order_by(
        "-decided_on", "-pk").first()
    return latest is not None and latest.pk == acceptance.decision_id


def current_acceptance(integration) -> RiskAcceptance | None:
    latest = Decision.objects.filter(assessment__integration=integration).order_by("-decided_on", "-pk").first()
    return RiskAcceptance.objects.filter(decision=latest).first() if latest else None


def lapsed_approval(integration, today: dt.date | None = None) -> RiskAcceptance | None:
    """The lapsed risk acceptance the integration's current approval rests on, if any."""
    found = current_acceptance(integration)
    if found is not None and found.state(today or timezone.localdate()) == AcceptanceState.LAPSED:
        return found
    return None


@transaction.atomic
def mark_condition_done(condition: Condition, note: str = "") -> Condition:
    roles.require(roles.CHANGE)
    if condition.done:
        raise ValidationError(_("This condition is already done."))
    actor = require_actor()
    condition.done = True
    condition.done_at = timezone.now()
    condition.done_by_label = actor.label[:150]
    condition.done_note = (note or "").strip()[:500]
    condition.full_clean()
    condition.save()
    return condition


def open_conditions():
    return Condition.objects.filter(done=False).select_related("decision__assessment__integration__vendor",
                                                               "owner_user").order_by("due_date", "pk")


def legal_requirement_ids(assessment) -> list[str]:
    checklist = load_checklist()
    legal = {r.id for r in checklist.requirements if str(r.point) == LEGAL_POINT}
    return [a.requirement_id for a in assessment.answers.all() if a.requirement_id in legal]


@transaction.atomic
def sign_off_legal(assessment, note: str = "") -> LegalSignOff:
    """The data protection officer signs off the review's legal points (AVV, transfers/TIA, register entry)."""
    roles.require(roles.SIGN_OFF_LEGAL)
    require_tenant()
    if assessment.is_decided:
        raise ValidationError(_("This assessment is decided and can no longer be changed."))
    if LegalSignOff.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("The legal points of this review are already signed off."))
    actor = require_actor()
    signoff = LegalSignOff(assessment=assessment, signed_by=actor.user, signed_by_label=actor.label[:150],
                           note=(note or "").strip(), requirements=legal_requirement_ids(assessment),
                           tenant=assessment.tenant)
    signoff.full_clean()
    signoff.save()
    return signoff
