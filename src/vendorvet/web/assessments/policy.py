"""The tenant's approval policy: what an approval needs, checked for web, API and CLI alike.

- four eyes up to a tier (default 1 and 2): the approver is not the person who answered most of the review;
- a plain approval needs at least the threshold grade (default C) and no mandatory requirement unknown or not
  met — otherwise only an explicit risk acceptance (see :mod:`vendorvet.web.assessments.risk`) approves;
- optionally the data protection officer's sign-off of the legal points before a tier-1/2 approval when
  personal data is processed.

Every change of the policy is a new version (who, when, why) and lands in the change history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vendorvet.engine import grades
from vendorvet.web.accounts import roles
from vendorvet.web.assessments.models_policy import MAX_ACCEPTANCE_DAYS, ApprovalPolicy
from vendorvet.web.core.context import require_actor, require_tenant

FIELDS = ("four_eyes_max_tier", "min_grade", "block_mandatory_unknown", "block_mandatory_failed",
          "allow_risk_acceptance", "max_acceptance_days", "reminder_days", "dpo_signoff_required")
DEFAULTS = {"four_eyes_max_tier": 2, "min_grade": "C", "block_mandatory_unknown": True,
            "block_mandatory_failed": True, "allow_risk_acceptance": True,
            "max_acceptance_days": MAX_ACCEPTANCE_DAYS, "reminder_days": 30, "dpo_signoff_required": False}
LEGAL_POINT = "legal"
APPROVALS = ("approve", "approve_with_conditions")


def current() -> ApprovalPolicy:
    """The policy in force for the active tenant: its latest version, or the defaults (version 0, unsaved)."""
    require_tenant()
    latest = ApprovalPolicy.objects.order_by("-version").first()
    return latest or ApprovalPolicy(version=0, reason="", changed_by_label="", **DEFAULTS)


def as_dict(policy: ApprovalPolicy) -> dict:
    return {field: getattr(policy, field) for field in FIELDS}


@transaction.atomic
def change(reason: str, **values) -> ApprovalPolicy:
    """Store a new version of the policy (administrators). Unknown fields are refused; a contradiction too."""
    roles.require(roles.MANAGE_POLICY)
    unknown = set(values) - set(FIELDS)
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Unknown policy settings: %(names)s") % {"names": ", ".join(sorted(unknown))})
    base = as_dict(current())
    base.update(values)
    actor = require_actor()
    latest = ApprovalPolicy.objects.select_for_update().order_by("-version").first()
    policy = ApprovalPolicy(version=(latest.version if latest else 0) + 1, reason=(reason or "").strip(),
                            changed_by_label=actor.label[:150], tenant=require_tenant(), **base)
    policy.full_clean()
    policy.save()
    return policy


@dataclass(frozen=True)
class Shortfall:
    """One reason the policy does not let this approval through. ``acceptable``: a risk acceptance lifts it."""

    code: str
    text: str
    acceptable: bool


def main_answerers(assessment) -> set:
    """The user ids with the most answers in the review (ties: all of them); empty when nobody answered."""
    counts = Counter(a.answered_by_id for a in assessment.answers.all() if a.answered_by_id)
    if not counts:
        return set()
    top = max(counts.values())
    return {uid for uid, n in counts.items() if n == top}


def processes_personal_data(assessment) -> bool:
    return "personal_data" in set(assessment.conditions or ())


def dpo_signoff_needed(assessment, policy: ApprovalPolicy | None = None) -> bool:
    policy = policy or current()
    return bool(policy.dpo_signoff_required and assessment.tier <= 2 and processes_personal_data(assessment))


def shortfalls(assessment, outcome: str, user, result=None, policy: ApprovalPolicy | None = None) -> list[Shortfall]:
    """What stands between ``user`` and approving ``assessment`` (nothing for a rejection)."""
    if outcome not in APPROVALS:
        return []
    policy = policy or current()
    result = result or assessment.score()
    out: list[Shortfall] = []
    answers = list(assessment.answers.all())
    if policy.four_eyes_max_tier and assessment.tier <= policy.four_eyes_max_tier and user is not None \
            and user.pk in main_answerers(assessment):
        out.append(Shortfall("four_eyes", _(
            "Four eyes: at tier %(tier)d the approval must come from someone other than the person who answered "
            "most of the review (you did).") % {"tier": assessment.tier}, False))
    if dpo_signoff_needed(assessment, policy) and not hasattr_signoff(assessment):
        out.append(Shortfall("dpo_signoff", _(
            "The data protection officer has not signed off the legal points (AVV, transfers and TIA, register "
            "entry); the policy requires it before approving tier 1 and 2 when personal data is processed."),
            False))
    if grades.rank(result.grade) > grades.rank(policy.min_grade):
        out.append(Shortfall("grade", _(
            "Grade %(grade)s (%(score)d/100) is below the policy's threshold %(threshold)s.")
            % {"grade": result.grade, "score": result.score, "threshold": policy.min_grade}, True))
    unknown = sum(1 for a in answers if a.mandatory and a.value == "unknown")
    if policy.block_mandatory_unknown and unknown:
        out.append(Shortfall("mandatory_unknown", ngettext(
            "%(count)d mandatory requirement is unknown.", "%(count)d mandatory requirements are unknown.",
            unknown) % {"count": unknown}, True))
    failed = sum(1 for a in answers if a.mandatory and a.value == "not_met")
    if policy.block_mandatory_failed and failed:
        out.append(Shortfall("mandatory_failed", ngettext(
            "%(count)d mandatory requirement is not met.", "%(count)d mandatory requirements are not met.",
            failed) % {"count": failed}, True))
    return out


def hasattr_signoff(assessment) -> bool:
    from vendorvet.web.assessments.models_policy import LegalSignOff

    return LegalSignOff.objects.filter(assessment=assessment).exists()


def refusal(found: list[Shortfall], *, with_acceptance: bool, policy: ApprovalPolicy) -> list[str]:
    """The refusal in words, one message per line: each reason, then the way forward."""
    lines = [_("The approval policy refuses this approval:")]
    lines += [f"• {s.text}" for s in found if not (with_acceptance and s.acceptable)]
    hard = [s for s in found if not s.acceptable]
    if any(s.code == "four_eyes" for s in hard):
        lines.append(_("Way forward: a second person — another member who may decide — approves or records the "
                       "risk acceptance."))
    if any(s.code == "dpo_signoff" for s in hard):
        lines.append(_("Way forward: the data protection officer signs off the legal points of this review first."))
    if any(s.acceptable for s in found) and not with_acceptance:
        if policy.allow_risk_acceptance:
            lines.append(_("Way forward: improve the review, reject, or approve as an explicit risk acceptance — "
                           "named risk owner, justification, compensating controls and an expiry date at most "
                           "%(days)d days ahead — by a second person, not the one who answered most of the "
                           "review.") % {"days": policy.max_acceptance_days})
        else:
            lines.append(_("Way forward: improve the review or reject; this tenant's policy allows no risk "
                           "acceptances."))
    return lines
