"""The decision side of a review: the tenant's approval policy (versioned), risk acceptances, the DPO's
sign-off of the legal points. Imported by :mod:`vendorvet.web.assessments.models` so Django finds them.

Writes go through :mod:`vendorvet.web.assessments.policy` and :mod:`vendorvet.web.assessments.risk`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.engine import grades
from vendorvet.web.core.models import TenantOwnedModel

# the longest a risk acceptance may run before it has to be looked at again (the policy may shorten it)
MAX_ACCEPTANCE_DAYS = 365
GRADE_CHOICES = [(g, g) for g in grades.SCALE]


class ApprovalPolicy(TenantOwnedModel):
    """One version of the tenant's approval policy. A change is a new row (version + 1) with who and why;
    the latest version applies. Without any row the defaults (:func:`policy.DEFAULTS`) apply."""

    version = models.PositiveIntegerField(_("version"), editable=False)
    four_eyes_max_tier = models.PositiveSmallIntegerField(
        _("four eyes up to tier"), default=2, validators=[MaxValueValidator(4)],
        help_text=_("Up to this tier the person who approves must not be the one who answered most of the review "
                    "(0: never)."))
    min_grade = models.CharField(
        _("lowest grade for a plain approval"), max_length=2, default="C",
        help_text=_("A review graded below this needs a risk acceptance to be approved."))
    block_mandatory_unknown = models.BooleanField(
        _("mandatory requirements left unknown need a risk acceptance"), default=True)
    block_mandatory_failed = models.BooleanField(
        _("mandatory requirements not met need a risk acceptance"), default=True)
    allow_risk_acceptance = models.BooleanField(
        _("risk acceptances are allowed"), default=True,
        help_text=_("Off: a review that falls short of the policy can only be rejected or improved."))
    max_acceptance_days = models.PositiveSmallIntegerField(
        _("longest term of a risk acceptance (days)"), default=MAX_ACCEPTANCE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ACCEPTANCE_DAYS)])
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder before a risk acceptance expires (days)"), default=30)
    dpo_signoff_required = models.BooleanField(
        _("DPO sign-off required before approving tier 1 and 2 when personal data is processed"), default=False)
    reason = models.TextField(_("reason for the change"))
    changed_by_label = models.CharField(_("changed by"), max_length=150, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        constraints = [models.UniqueConstraint(fields=["tenant", "version"], name="one_policy_per_version")]

    def __str__(self) -> str:
        return _("Approval policy, version %(version)s") % {"version": self.version}

    def clean(self) -> None:
        """Refuse a policy that contradicts itself, each reason in words."""
        errors: dict[str, list] = {}
        if self.min_grade not in grades.SCALE:
            errors.setdefault("min_grade", []).append(
                _("The grade threshold “%(grade)s” is not a grade of the scale A (best) to F; a threshold above "
                  "the best grade A could never be reached.") % {"grade": self.min_grade})
        if not (1 <= (self.max_acceptance_days or 0) <= MAX_ACCEPTANCE_DAYS):
            errors.setdefault("max_acceptance_days", []).append(
                _("A risk acceptance runs at least 1 and at most %(max)d days.") % {"max": MAX_ACCEPTANCE_DAYS})
        elif self.reminder_days >= self.max_acceptance_days:
            errors.setdefault("reminder_days", []).append(
                _("The reminder (%(reminder)d days before expiry) would come before the longest risk acceptance "
                  "(%(max)d days) even starts; choose a shorter reminder.")
                % {"reminder": self.reminder_days, "max": self.max_acceptance_days})
        if self.four_eyes_max_tier > 4:
            errors.setdefault("four_eyes_max_tier", []).append(_("Tiers run from 1 to 4 (0: no four-eyes rule)."))
        if not (self.reason or "").strip():
            errors.setdefault("reason", []).append(_("Say why the policy changes (it is kept in the history)."))
        if errors:
            raise ValidationError(errors)


class AcceptanceState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    LAPSED = "lapsed", _("Lapsed")


class RiskAcceptance(TenantOwnedModel):
    """An approval that falls short of the policy, accepted explicitly: who owns the risk, why, what
    compensates, and until when. Lands in the risk acceptance register."""

    decision = models.OneToOneField("assessments.Decision", on_delete=models.PROTECT, related_name="risk_acceptance")
    integration = models.ForeignKey("inventory.Integration", on_delete=models.PROTECT,
                                    related_name="risk_acceptances", verbose_name=_("integration"))
    risk_owner = models.CharField(_("risk owner"), max_length=200)
    risk_owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("risk owner (member)"))
    justification = models.TextField(_("justification"))
    compensating_controls = models.TextField(_("compensating controls"))
    expires_on = models.DateField(_("expires on"))
    shortfalls = models.JSONField(_("what the policy was short of"), default=list, editable=False)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    editable=False)
    accepted_by_label = models.CharField(_("accepted by"), max_length=150, editable=False)
    accepted_on = models.DateField(_("accepted on"), default=timezone.localdate, editable=False)

    change_log_parent = "integration"

    class Meta:
        ordering = ["expires_on", "pk"]
        verbose_name = _("risk acceptance")
        verbose_name_plural = _("risk acceptances")
        indexes = [models.Index(fields=["tenant", "expires_on"])]

    def __str__(self) -> str:
        return _("Risk acceptance for %(integration)s until %(date)s") % {
            "integration": self.integration, "date": self.expires_on.isoformat()}

    def get_absolute_url(self) -> str:
        return reverse("assessments:risk_register") + f"#acceptance-{self.pk}"

    def clean(self) -> None:
        errors = {}
        for field, message in (("risk_owner", _("Name the risk owner.")),
                               ("justification", _("A risk acceptance needs a justification.")),
                               ("compensating_controls", _("Describe the compensating controls (or why there are "
                                                           "none)."))):
            if not (getattr(self, field) or "").strip():
                errors[field] = message
        if errors:
            raise ValidationError(errors)

    def state(self, today: dt.date | None = None, warn_days: int = 30) -> str:
        today = today or timezone.localdate()
        if self.expires_on < today:
            return AcceptanceState.LAPSED
        if (self.expires_on - today).days <= warn_days:
            return AcceptanceState.EXPIRING
        return AcceptanceState.ACTIVE

    def get_state_display(self) -> str:
        return dict(AcceptanceState.choices)[self.state()]

    @property
    def is_lapsed(self) -> bool:
        return self.state() == AcceptanceState.LAPSED


class LegalSignOff(TenantOwnedModel):
    """The data protection officer's sign-off of a review's legal points (AVV, transfers/TIA, register entry)."""

    assessment = models.OneToOneField("assessments.Assessment", on_delete=models.CASCADE,
                                      related_name="legal_signoff")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  editable=False)
    signed_by_label = models.CharField(_("signed off by"), max_length=150, editable=False)
    signed_at = models.DateTimeField(_("signed off at"), default=timezone.now, editable=False)
    note = models.TextField(_("note"), blank=True)
    requirements = models.JSONField(_("legal points signed off"), default=list, editable=False)

    change_log_parent = "assessment"

    class Meta:
        verbose_name = _("legal sign-off")
        verbose_name_plural = _("legal sign-offs")

    def __str__(self) -> str:
        return _("Legal points signed off by %(who)s") % {"who": self.signed_by_label}
