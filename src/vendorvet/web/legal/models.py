"""The legal half of vetting: data location and jurisdiction, transfer assessments, TIAs,
the AVV/DPA checklist, the contract register and sub-processors.

Everything is tenant-owned (scoped managers, change history). Transfer verdicts come from the
pure engine (``vendorvet.engine.transfer``); an assessment stores the engine's full answer with
its reasoning in English and German, so it stays readable after the content changes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.inventory.choices import country_codes
from vendorvet.web.inventory.models import Integration, Vendor, validate_country_list


class TriState(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class OurRole(models.TextChoices):
    CONTROLLER = "controller", _("Controller")
    PROCESSOR = "processor", _("Processor")


class LawfulBasis(models.TextChoices):
    """Art. 6(1) GDPR: the lawful basis of a processing activity."""

    CONSENT = "a", _("Art. 6(1)(a) GDPR – consent")
    CONTRACT = "b", _("Art. 6(1)(b) GDPR – contract")
    LEGAL_OBLIGATION = "c", _("Art. 6(1)(c) GDPR – legal obligation")
    VITAL_INTERESTS = "d", _("Art. 6(1)(d) GDPR – vital interests")
    PUBLIC_TASK = "e", _("Art. 6(1)(e) GDPR – public task")
    LEGITIMATE_INTERESTS = "f", _("Art. 6(1)(f) GDPR – legitimate interests")


class SpecialBasis(models.TextChoices):
    """Art. 9(2) GDPR: the exception that allows processing special categories of personal data."""

    EXPLICIT_CONSENT = "a", _("Art. 9(2)(a) GDPR – explicit consent")
    EMPLOYMENT = "b", _("Art. 9(2)(b) GDPR – employment and social security law")
    VITAL_INTERESTS = "c", _("Art. 9(2)(c) GDPR – vital interests")
    NOT_FOR_PROFIT = "d", _("Art. 9(2)(d) GDPR – not-for-profit body")
    MADE_PUBLIC = "e", _("Art. 9(2)(e) GDPR – made public by the data subject")
    LEGAL_CLAIMS = "f", _("Art. 9(2)(f) GDPR – legal claims")
    PUBLIC_INTEREST = "g", _("Art. 9(2)(g) GDPR – substantial public interest")
    HEALTH_CARE = "h", _("Art. 9(2)(h) GDPR – health or social care, occupational medicine")
    PUBLIC_HEALTH = "i", _("Art. 9(2)(i) GDPR – public health")
    ARCHIVING = "j", _("Art. 9(2)(j) GDPR – archiving, research, statistics")


class VendorRole(models.TextChoices):
    PROCESSOR = "processor", _("Processor")
    CONTROLLER = "controller", _("Controller")
    SUB_PROCESSOR = "sub-processor", _("Sub-processor")


def validate_country(value: str) -> None:
    if value and value not in set(country_codes()):
        raise ValidationError(_("Unknown country code."))


class VendorLegal(TenantOwnedModel):
    """Per vendor: parent company (jurisdiction) and EU-US Data Privacy Framework status."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, related_name="legal")
    parent_company = models.CharField(_("parent company"), max_length=200, blank=True)
    parent_country = models.CharField(_("country of the parent company"), max_length=2, blank=True,
                                      validators=[validate_country])
    dpf_status = models.CharField(_("certified under the EU-US Data Privacy Framework"), max_length=10,
                                  choices=TriState.choices, default=TriState.UNKNOWN,
                                  help_text=_("Check the DPF List at dataprivacyframework.gov. Unknown counts as "
                                              "not certified."))
    dpf_checked = models.DateField(_("DPF status checked on"), null=True, blank=True)
    canada_pipeda = models.CharField(_("subject to PIPEDA (Canada)"), max_length=10, choices=TriState.choices,
                                     default=TriState.UNKNOWN)

    change_log_parent = "vendor"

    class Meta:
        verbose_name = _("vendor legal profile")

    def __str__(self) -> str:
        return f"{self.vendor} – legal"

    def clean(self) -> None:
        if self.dpf_status == TriState.YES and not self.dpf_checked:
            raise ValidationError({"dpf_checked": _("Record the date the DPF List was checked.")})
        if self.dpf_checked and self.dpf_checked > timezone.localdate():
            raise ValidationError({"dpf_checked": _("The date cannot be in the future.")})


class IntegrationLegal(TenantOwnedModel):
    """Per integration: roles, data location (declared / recorded), erasure and TOMs for the register."""

    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="legal")
    our_role = models.CharField(_("our role"), max_length=20, choices=OurRole.choices, default=OurRole.CONTROLLER)
    vendor_role = models.CharField(_("vendor's role"), max_length=20, choices=VendorRole.choices,
                                   default=VendorRole.PROCESSOR)
    controller_name = models.CharField(
        _("controller (when we are the processor)"), max_length=200, blank=True,
        help_text=_("For the processor's record (Art. 30(2) GDPR): on whose behalf we process."))
    declared_countries = models.JSONField(_("countries declared by the vendor"), default=list, blank=True,
                                          validators=[validate_country_list])
    recorded_countries = models.JSONField(_("countries recorded by us"), default=list, blank=True,
                                          validators=[validate_country_list],
                                          help_text=_("What we established ourselves (contract, audit, test)."))
    erasure_period = models.CharField(_("erasure period"), max_length=300, blank=True)
    security_measures = models.TextField(_("technical and organisational measures"), blank=True,
                                         help_text=_("Art. 32 GDPR measures, or where they are documented."))
    lawful_basis = models.CharField(_("legal basis (Art. 6(1) GDPR)"), max_length=1, blank=True,
                                    choices=LawfulBasis.choices,
                                    help_text=_("Required for the record of processing activities."))
    special_basis = models.CharField(_("exception for special categories (Art. 9(2) GDPR)"), max_length=1,
                                     blank=True, choices=SpecialBasis.choices,
                                     help_text=_("Required when special categories of personal data (Art. 9 "
                                                 "GDPR, e.g. health data) are processed."))
    legal_basis = models.CharField(_("legal basis – details"), max_length=200, blank=True,
                                   help_text=_("e.g. the contract or the balancing of interests it rests on"))

    change_log_parent = "integration"

    class Meta:
        verbose_name = _("integration legal profile")

    def __str__(self) -> str:
        return f"{self.integration} – legal"

    def save(self, *args, **kwargs):
        self.declared_countries = sorted(set(c.upper() for c in self.declared_countries or []))
        self.recorded_countries = sorted(set(c.upper() for c in self.recorded_countries or []))
        super().save(*args, **kwargs)


class SubProcessor(TenantOwnedModel):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="sub_processors",
                               verbose_name=_("vendor"))
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    dpf_status = models.CharField(_("DPF certified"), max_length=10, choices=TriState.choices,
                                  default=TriState.UNKNOWN)

    change_log_parent = "vendor"

    class Meta:
        ordering = ["name", "country"]
        verbose_name = _("sub-processor")
        verbose_name_plural = _("sub-processors")
        constraints = [models.UniqueConstraint(fields=["vendor", "name", "country"], name="subprocessor_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class TransferAssessment(TenantOwnedModel):
    """One run of the transfer engine for an integration, stored with its reasoning."""

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Run by a user")
        SUB_PROCESSOR = "sub_processor", _("New sub-processor")
        PROFILE = "profile", _("Legal profile changed")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="transfer_assessments")
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices, default=Trigger.MANUAL)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    reasoning_de = models.JSONField(default=list)
    third_country_transfer = models.BooleanField(_("third-country transfer"), default=False)
    basis = models.CharField(_("transfer basis"), max_length=20)
    scc_module = models.PositiveSmallIntegerField(_("SCC module"), null=True, blank=True)
    tia_required = models.BooleanField(_("TIA required"), default=False)
    onward_scc = models.BooleanField(_("an onward transfer needs SCCs"), default=False)
    content_version = models.CharField(max_length=20)

    change_log_parent = "integration"

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("transfer assessment")
        indexes = [models.Index(fields=["tenant", "integration", "-created"])]

    def __str__(self) -> str:
        return f"{self.integration}: {self.basis}"

    def reasoning(self, language: str) -> list[str]:
        return self.reasoning_de if language == "de" and self.reasoning_de else self.result.get("reasoning", [])


class TransferImpactAssessment(TenantOwnedModel):
    """A TIA along the six steps of EDPB Recommendations 01/2020."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="tias")
    assessment = models.ForeignKey(TransferAssessment, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="tias", verbose_name=_("transfer assessment"))
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    step1_transfers = models.TextField(
        _("1. Know your transfers"), blank=True,
        help_text=_("Data, purposes, importers, countries, onward transfers, format and frequency."))
    step2_tool = models.TextField(
        _("2. Transfer tool"), blank=True,
        help_text=_("Adequacy decision (Art. 45), appropriate safeguards such as SCCs (Art. 46), or a derogation "
                    "(Art. 49)."))
    step3_assessment = models.TextField(
        _("3. Law and practice of the third country"), blank=True,
        help_text=_("Is the tool effective, given the destination's laws and practice on public-authority access?"))
    step4_measures = models.TextField(
        _("4. Supplementary measures"), blank=True,
        help_text=_("Technical (e.g. encryption with keys held in the EEA), contractual and organisational."))
    step5_procedural = models.TextField(
        _("5. Procedural steps"), blank=True,
        help_text=_("Formal steps the measures require, e.g. signing the SCCs, informing the authority."))
    step6_reevaluation = models.DateField(_("6. Re-evaluate on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    change_log_parent = "integration"

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("transfer impact assessment")
        verbose_name_plural = _("transfer impact assessments")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.state == self.State.COMPLETED:
            missing = [f for f in ("step1_transfers", "step2_tool", "step3_assessment", "step4_measures",
                                   "step5_procedural", "conclusion") if not getattr(self, f).strip()]
            errors = {f: _("Needed to complete the assessment.") for f in missing}
            if not self.step6_reevaluation:
                errors["step6_reevaluation"] = _("Set a re-evaluation date.")
            if errors:
                raise ValidationError(errors)


class DpaItem(TenantOwnedModel):
    """One point of the AVV/DPA checklist for a vendor: met or missing, with the clause reference."""

    class State(models.TextChoices):
        OPEN = "open", _("Not reviewed")
        MET = "met", _("Met")
        MISSING = "missing", _("Missing")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="dpa_items")
    key = models.CharField(max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    clause = models.CharField(_("clause reference"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    change_log_parent = "vendor"

    class Meta:
        ordering = ["vendor", "key"]
        constraints = [models.UniqueConstraint(fields=["vendor", "key"], name="dpa_item_unique")]
        verbose_name = _("AVV/DPA checklist item")

    def __str__(self) -> str:
        return f"{self.vendor}: {self.key} {self.state}"

    def clean(self) -> None:
        from vendorvet.web.legal.dpa import DPA_KEYS

        if self.key not in DPA_KEYS:
            raise ValidationError({"key": _("Unknown checklist item.")})
        if self.state == self.State.MET and not self.clause.strip():
            raise ValidationError({"clause": _("Name the clause that meets this point.")})


ALLOWED_CONTRACT_EXTENSIONS = ("pdf", "docx", "odt", "doc", "txt", "png", "jpg", "jpeg")
MAX_CONTRACT_FILE_BYTES = 20 * 1024 * 1024


def contract_upload_to(instance, filename: str) -> str:
    """Random stored name under the tenant's folder; the user's file name is kept only as metadata."""
    suffix = PurePath(filename).suffix.lower()
    return f"legal/{instance.tenant_id}/{uuid.uuid4().hex}{suffix}"


class Contract(TenantOwnedModel):
    class Type(models.TextChoices):
        MAIN = "main", _("Main contract")
        DPA = "dpa", _("AVV / DPA")
        SCC = "scc", _("Standard contractual clauses")
        SLA = "sla", _("SLA")
        NDA = "nda", _("NDA")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="contracts",
                               verbose_name=_("vendor"))
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    signed = models.DateField(_("signed on"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    notice_period_days = models.PositiveIntegerField(_("notice period (days)"), null=True, blank=True,
                                                     validators=[MaxValueValidator(3650)])
    auto_renewal = models.BooleanField(_("renews automatically"), default=False)
    renewal_months = models.PositiveIntegerField(_("renewal term (months)"), null=True, blank=True,
                                                 validators=[MaxValueValidator(120)])
    audit_rights = models.CharField(_("audit rights"), max_length=300, blank=True)
    remediation_duty = models.CharField(_("duty to remediate findings"), max_length=300, blank=True)
    termination_exit = models.TextField(_("termination and exit"), blank=True)
    liability_cap = models.CharField(_("liability cap"), max_length=200, blank=True)
    sla_uptime = models.DecimalField(_("SLA uptime (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
                                     validators=[MinValueValidator(0), MaxValueValidator(100)])
    rto_hours = models.DecimalField(_("RTO (hours)"), max_digits=8, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    rpo_hours = models.DecimalField(_("RPO (hours)"), max_digits=8, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    file = models.FileField(_("file"), upload_to=contract_upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    file.change_log_exclude = True  # the stored name is random; file_name is logged instead

    change_log_parent = "vendor"

    class Meta:
        ordering = ["vendor__name", "type", "title"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_type_display()})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end lies before the start.")})

    @property
    def notice_deadline(self) -> dt.date | None:
        """Last day to give notice before the end (or before the next renewal)."""
        if not self.end or self.notice_period_days is None:
            return None
        return self.end - dt.timedelta(days=self.notice_period_days)

    def reminders(self, today: dt.date | None = None, horizon_days: int = 90) -> list[dict]:
        """Upcoming notice deadline and expiry within ``horizon_days`` (for the register and alerts)."""
        today = today or timezone.localdate()
        due = []
        if self.notice_deadline and 0 <= (self.notice_deadline - today).days <= horizon_days:
            due.append({"kind": "notice", "date": self.notice_deadline, "days": (self.notice_deadline - today).days})
        if self.end and 0 <= (self.end - today).days <= horizon_days:
            due.append({"kind": "renewal" if self.auto_renewal else "expiry", "date": self.end,
                        "days": (self.end - today).days})
        return due


class RopaSettings(TenantOwnedModel):
    """The header of the record of processing activities: who we are (Art. 30(1)(a) / 30(2)(a))."""

    controller = models.TextField(_("name and contact details of the controller"), blank=True)
    representative = models.TextField(_("representative (Art. 27)"), blank=True)
    dpo = models.TextField(_("data protection officer"), blank=True)

    class Meta:
        verbose_name = _("record of processing settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="one_ropa_settings_per_tenant")]

    def __str__(self) -> str:
        return "record of processing settings"
