"""Assessments of integrations: answers per checklist requirement, evidence, score overrides,
the decision with its conditions, and the certification register of vendors.

Writes go through :mod:`vendorvet.web.assessments.services` (role check + ``full_clean``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from vendorvet.engine import scoring_review
from vendorvet.engine.checklist import load_checklist
from vendorvet.web.core import review
from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.inventory.choices import Tier


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting vendor")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")


OPEN_STATUSES = [s for s in AssessmentStatus.values if s != AssessmentStatus.DECIDED]


class AnswerValue(models.TextChoices):
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    UNKNOWN = "unknown", _("Unknown")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", _("Approve with conditions")
    REJECT = "reject", _("Reject")


# Decision outcome → integration status (inventory.choices.Status values)
OUTCOME_STATUS = {
    Outcome.APPROVE: "approved",
    Outcome.APPROVE_WITH_CONDITIONS: "approved_with_conditions",
    Outcome.REJECT: "rejected",
}


class Assessment(TenantOwnedModel):
    integration = models.ForeignKey("inventory.Integration", on_delete=models.PROTECT, related_name="assessments",
                                    verbose_name=_("integration"))
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("assignee"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    checklist_version = models.CharField(_("checklist version"), max_length=40, editable=False)
    tier_at_start = models.PositiveSmallIntegerField(_("tier at start"), choices=Tier.choices, editable=False)
    tier_reasons = models.JSONField(_("tier reasons"), default=list, editable=False)
    conditions = models.JSONField(_("checklist conditions"), default=list, editable=False)
    tier_override = models.PositiveSmallIntegerField(_("tier override"), choices=Tier.choices, null=True, blank=True)
    tier_override_justification = models.TextField(_("justification of the tier override"), blank=True)

    change_log_parent = "integration"

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["tenant", "status", "-created"]),
                   models.Index(fields=["tenant", "integration", "-created"])]

    def __str__(self) -> str:
        return f"{self.integration} #{self.pk}" if self.pk else str(self.integration)

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])

    @property
    def tier(self) -> int:
        """The tier this assessment is held to: the recorded override, else the tier at start."""
        return self.tier_override or self.tier_at_start

    @property
    def is_decided(self) -> bool:
        return self.status == AssessmentStatus.DECIDED

    def clean(self) -> None:
        if self.tier_override and not self.tier_override_justification.strip():
            raise ValidationError({"tier_override_justification": _("A tier override needs a justification.")})
        if not self.tier_override and self.tier_override_justification.strip():
            raise ValidationError({"tier_override": _("Choose the tier the justification is for.")})

    def score(self, answers=None, with_coverage: bool = False, suggestions=None):
        """The current score (``engine.scoring_review.ScoreResult``) from answers and overrides.

        ``with_coverage`` adds what the automated evidence covered ("based on N of M checks"); it never
        changes the number. ``suggestions`` (per requirement id, from ``core.review.collect``) saves a read.
        """
        checklist = load_checklist()
        answers = list(self.answers.all()) if answers is None else answers
        bases = review.answer_bases(self) if answers else {}  # answers resting on the vendor's statement
        inputs = []
        for a in answers:
            try:
                max_tier = checklist.requirement(a.requirement_id).max_tier
            except KeyError:  # requirement dropped from a newer checklist: keep the answer, score it as basic
                max_tier = 4
            inputs.append(scoring_review.AnswerInput(a.requirement_id, a.value, max_tier, a.mandatory,
                                                     bases.get(a.requirement_id, "")))
        overrides = {o.key: scoring_review.Override(o.points, o.justification, o.created_by_label)
                     for o in self.score_overrides.all()}
        coverage = None
        if with_coverage:
            if suggestions is None:
                suggestions = review.collect(self.integration, [a.requirement_id for a in answers])
            unknown = [a.requirement_id for a in answers if a.mandatory and a.value == AnswerValue.UNKNOWN]
            coverage = review.coverage(suggestions, unknown)
        return scoring_review.compute_score(self.tier, inputs, self.finding_inputs(), overrides, coverage)

    def finding_inputs(self) -> list:
        """Score inputs the review-evidence providers report for the integration (failed and warned scan
        checks, OpenAPI findings, known vulnerabilities …). Checks that could not run cost no points.
        A decided assessment keeps the score it was decided with (the decision stores a snapshot)."""
        return review.score_inputs(self.integration)


class Answer(TenantOwnedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    requirement_id = models.CharField(_("requirement"), max_length=100)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    value = models.CharField(_("answer"), max_length=20, choices=AnswerValue.choices, default=AnswerValue.UNKNOWN)
    comment = models.TextField(_("comment"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # what the automated evidence said when the answer was given: its fingerprint and the suggestions as shown
    evidence_fingerprint = models.CharField(_("evidence fingerprint"), max_length=64, blank=True, editable=False)
    evidence_seen = models.JSONField(_("evidence seen when answering"), default=list, blank=True, editable=False)

    evidence_seen.change_log_exclude = True  # the shown texts; the fingerprint is logged

    change_log_parent = "assessment"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "requirement_id"],
                                               name="one_answer_per_requirement")]

    def __str__(self) -> str:
        return f"{self.requirement_id}: {self.value}"

    @staticmethod
    def history_repr(data: dict) -> str:
        """The change history's name of an answer: its requirement and answer in the reader's language."""
        from vendorvet.engine.scoring_review import requirement_name
        from vendorvet.web.core.i18n import content_language

        value = dict(AnswerValue.choices).get(data.get("value"), data.get("value"))
        return f"{requirement_name(str(data['requirement_id']), content_language())}: {value}"

    def evidence_changed(self, suggestions) -> bool:
        """The automated evidence differs from what the assessor saw when answering."""
        return bool(self.answered_at) and review.fingerprint(suggestions) != self.evidence_fingerprint

    @cached_property
    def requirement(self):
        try:
            return load_checklist().requirement(self.requirement_id)
        except KeyError:
            return None


class ScoreOverride(TenantOwnedModel):
    """A deduction replaced by another value, with the reason (disputed finding, answer judged too harshly)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="score_overrides")
    key = models.CharField(_("score line"), max_length=200)
    points = models.DecimalField(_("points lost instead"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(Decimal(0))])
    justification = models.TextField(_("justification"))
    created_by_label = models.CharField(max_length=150, editable=False)

    change_log_parent = "assessment"

    class Meta:
        ordering = ["key"]
        verbose_name = _("score override")
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="one_override_per_line")]

    def __str__(self) -> str:
        return f"{self.key} → −{self.points}"

    @staticmethod
    def history_repr(data: dict) -> str:
        """The change history's name of an override: the requirement (or finding) and the points, localised."""
        from vendorvet.engine.scoring_review import requirement_name
        from vendorvet.web.core.i18n import content_language
        from vendorvet.web.core.texts import MINUS, number

        key = str(data.get("key", ""))
        subject = requirement_name(key.split(":", 1)[1], content_language()) if key.startswith("answer:") else \
            key.split(":", 1)[-1]
        return f"{subject} → {MINUS}{number(data.get('points'))}"

    def clean(self) -> None:
        if not (self.justification or "").strip():
            raise ValidationError({"justification": _("An override needs a justification.")})


from vendorvet.web.assessments.storage import EvidenceStorage, evidence_storage  # noqa: E402,F401


class Evidence(TenantOwnedModel):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=evidence_storage, max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)

    file.change_log_exclude = True  # the random storage name; name, size and hash are logged

    change_log_parent = "answer"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("assessments:evidence_download", args=[self.pk])


class Decision(TenantOwnedModel):
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=30, choices=Outcome.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("reviewer"), editable=False)
    reviewer_label = models.CharField(_("reviewer"), max_length=150, editable=False)
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    justification = models.TextField(_("justification"))
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, editable=False)
    score = models.PositiveSmallIntegerField(_("score"), editable=False)
    grade = models.CharField(_("grade"), max_length=1, editable=False)
    score_lines = models.JSONField(_("score lines"), default=list, editable=False)
    next_review_date = models.DateField(_("next review"), null=True, blank=True, editable=False)

    change_log_parent = "assessment"

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_on})"

    @staticmethod
    def history_repr(data: dict) -> str:
        """The change history's name of a decision in the reader's language: outcome and date."""
        from django.utils import formats
        from django.utils.dateparse import parse_date

        day = parse_date(str(data.get("decided_on") or ""))
        outcome = dict(Outcome.choices).get(data.get("outcome"), data.get("outcome"))
        return f"{outcome} ({formats.date_format(day, 'SHORT_DATE_FORMAT')})" if day else str(outcome)

    def clean(self) -> None:
        if not (self.justification or "").strip():
            raise ValidationError({"justification": _("A decision needs a justification.")})


class Condition(TenantOwnedModel):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="conditions")
    text = models.CharField(_("condition"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("owner (member)"))
    due_date = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by_label = models.CharField(_("done by"), max_length=150, blank=True, editable=False)
    done_note = models.CharField(_("note"), max_length=500, blank=True)

    change_log_parent = "decision"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        return self.text


class CertificationKind(models.TextChoices):
    ISO27001 = "iso27001", _("ISO/IEC 27001")
    SOC2_TYPE2 = "soc2_type2", _("SOC 2 Type II")
    BSI_C5 = "bsi_c5", _("BSI C5")
    TISAX = "tisax", _("TISAX")
    PENTEST = "pentest", _("Penetration test")


class Certification(TenantOwnedModel):
    vendor = models.ForeignKey("inventory.Vendor", on_delete=models.PROTECT, related_name="certifications",
                               verbose_name=_("vendor"))
    kind = models.CharField(_("kind"), max_length=20, choices=CertificationKind.choices)
    standard = models.CharField(_("standard"), max_length=100, blank=True,
                                help_text=_("For example ISO/IEC 27001:2022 or SOC 2 Type 2."))
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    holder = models.CharField(_("holder / service organisation"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from / period start"), null=True, blank=True)
    issuer = models.CharField(_("issuer / auditor"), max_length=200, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    period_end = models.DateField(_("report period end"), null=True, blank=True,
                                  help_text=_("SOC 2 Type II: end of the period the report covers."))
    bridge_letter_until = models.DateField(_("bridge letter valid until"), null=True, blank=True,
                                           help_text=_("SOC 2 Type II: date up to which a bridge letter covers the gap."))
    test_date = models.DateField(_("test date"), null=True, blank=True,
                                 help_text=_("Penetration test: date of the report."))
    notes = models.TextField(_("notes"), blank=True)

    change_log_parent = "vendor"

    class Meta:
        ordering = ["kind", "-valid_until", "pk"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        number = f" {self.certificate_number}" if self.certificate_number else ""
        return f"{self.get_kind_display()}{number}"

    def clean(self) -> None:
        errors = {}
        if self.kind == CertificationKind.SOC2_TYPE2 and not self.period_end:
            errors["period_end"] = _("A SOC 2 Type II report needs its period end.")
        elif self.kind == CertificationKind.PENTEST and not self.test_date:
            errors["test_date"] = _("A penetration test needs its date.")
        elif self.kind in (CertificationKind.ISO27001, CertificationKind.BSI_C5, CertificationKind.TISAX) \
                and not self.valid_until:
            errors["valid_until"] = _("Enter the date until which it is valid.")
        if self.kind == CertificationKind.ISO27001 and not self.certificate_number.strip():
            errors["certificate_number"] = _("An ISO/IEC 27001 entry needs the certificate number.")
        if errors:
            raise ValidationError(errors)

    @property
    def expires_on(self) -> dt.date | None:
        return scoring_review.certificate_expiry(self.kind, valid_until=self.valid_until, period_end=self.period_end,
                                                 bridge_letter_until=self.bridge_letter_until,
                                                 test_date=self.test_date)

    def state(self, today: dt.date | None = None) -> str:
        return scoring_review.certificate_state(self.expires_on, today or timezone.localdate())

    @property
    def is_expired(self) -> bool:
        return self.state() == scoring_review.EXPIRED

    @property
    def is_expiring(self) -> bool:
        return self.state() == scoring_review.EXPIRING


from vendorvet.web.assessments.models_documents import CertificationDocument  # noqa: E402,F401

from vendorvet.web.assessments.models_policy import (  # noqa: E402,F401  (models of the decision side)
    AcceptanceState,
    ApprovalPolicy,
    LegalSignOff,
    RiskAcceptance,
)
