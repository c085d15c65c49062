"""The DORA fields a financial entity needs for its register of information (ITS (EU) 2024/2956), kept in this
feature app: one settings row per tenant (is it a financial entity, its LEI …), the functions it supports, and
1:1 extensions of vendor, contract, integration and sub-processor. Values of closed sets are EBA member codes
(content/dora/codelists.yaml); they are checked against the code lists in ``clean()``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vendorvet.engine.dora import definitions, lei
from vendorvet.engine.dora.model import CODE_TYPES
from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.inventory.models import Integration, Vendor, validate_country_list
from vendorvet.web.legal.models import Contract, SubProcessor, validate_country

CODE_KINDS = [(kind, kind) for kind in CODE_TYPES]


def validate_lei(value: str) -> None:
    problem = lei.problem(value) if value else ""
    if problem == "length":
        raise ValidationError(_("An LEI has 20 characters."))
    if problem == "characters":
        raise ValidationError(_("An LEI has 18 capital letters or digits and two check digits."))
    if problem == "check_digits":
        raise ValidationError(_("The check digits of this LEI are wrong (ISO 17442)."))


def _check_codes(obj, fields: dict[str, str]) -> None:
    """``fields``: {model field: code list name}; a filled value must be a member of its list."""
    lists = definitions.codelists()
    errors = {name: _("Not a value of the EBA code list.") for name, list_name in fields.items()
              if getattr(obj, name) and getattr(obj, name) not in lists[list_name]}
    if errors:
        raise ValidationError(errors)


class Consolidation(models.TextChoices):
    INDIVIDUAL = "IND", _("Individual")
    CONSOLIDATED = "CON", _("Consolidated")


class DoraSettings(TenantOwnedModel):
    """Whether the tenant is a financial entity under DORA (then the register is offered) and who it is."""

    financial_entity = models.BooleanField(_("financial entity under DORA"), default=False)
    lei = models.CharField(_("LEI"), max_length=20, blank=True, validators=[validate_lei])
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[validate_country])
    entity_type = models.CharField(_("type of entity"), max_length=20, blank=True)
    competent_authority = models.CharField(_("competent authority"), max_length=200, blank=True)
    authority_country = models.CharField(_("country of the competent authority"), max_length=2, blank=True,
                                         validators=[validate_country])
    currency = models.CharField(_("reporting currency"), max_length=3, default="EUR")
    total_assets = models.DecimalField(_("value of total assets"), max_digits=20, decimal_places=2, null=True,
                                       blank=True)
    consolidation = models.CharField(_("level of the register"), max_length=3, choices=Consolidation.choices,
                                     default=Consolidation.INDIVIDUAL)

    class Meta:
        verbose_name = _("DORA settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="one_dora_settings_per_tenant")]

    def __str__(self) -> str:
        return str(_("DORA settings"))

    def clean(self) -> None:
        _check_codes(self, {"entity_type": "entity_type"})
        if self.currency and self.currency not in definitions.currencies():
            raise ValidationError({"currency": _("Not an ISO 4217 currency.")})


class DoraBranch(TenantOwnedModel):
    """A branch of the financial entity (B_01.03), e.g. in another member state; contracts name the branches
    that make use of their ICT services (B_04.01)."""

    code = models.CharField(_("identification code of the branch"), max_length=50,
                            help_text=_("The code the entity uses for the branch, e.g. its registration number."))
    name = models.CharField(_("name of the branch"), max_length=200)
    country = models.CharField(_("country of the branch"), max_length=2, validators=[validate_country])

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="dora_branch_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("dora:branch_edit", args=[self.pk])

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip()
        self.country = (self.country or "").upper()
        super().save(*args, **kwargs)


class DoraFunction(TenantOwnedModel):
    """A function of the financial entity that ICT services support (B_06.01)."""

    identifier = models.CharField(_("function identifier"), max_length=30, help_text=_("e.g. F1"))
    name = models.CharField(_("function name"), max_length=200)
    licensed_activity = models.CharField(_("licensed activity"), max_length=20, blank=True)
    criticality = models.CharField(_("critical or important"), max_length=20, blank=True)
    reasons = models.CharField(_("reasons for criticality or importance"), max_length=300, blank=True)
    last_assessment = models.DateField(_("last assessment of criticality"), null=True, blank=True)
    rto_hours = models.PositiveIntegerField(_("recovery time objective (hours)"), null=True, blank=True,
                                            validators=[MaxValueValidator(100000)])
    rpo_hours = models.PositiveIntegerField(_("recovery point objective (hours)"), null=True, blank=True,
                                            validators=[MaxValueValidator(100000)])
    impact = models.CharField(_("impact of discontinuing the function"), max_length=20, blank=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        constraints = [models.UniqueConstraint(fields=["tenant", "identifier"], name="dora_function_id_unique")]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("dora:function_edit", args=[self.pk])

    def clean(self) -> None:
        _check_codes(self, {"licensed_activity": "licensed_activity", "criticality": "yes_no_not_assessed",
                            "impact": "impact"})


class IdentifiedMixin(models.Model):
    """How a provider is identified in the register: its LEI, or another code and the kind of that code."""

    lei = models.CharField(_("LEI"), max_length=20, blank=True, validators=[validate_lei])
    other_code = models.CharField(_("other identification code"), max_length=60, blank=True,
                                  help_text=_("Only when there is no LEI, e.g. the EUID or the VAT number."))
    other_code_kind = models.CharField(_("kind of the other code"), max_length=10, blank=True, choices=CODE_KINDS)
    person_type = models.CharField(_("type of person"), max_length=20, default="eba_CT:x212")

    class Meta:
        abstract = True

    def clean(self) -> None:
        _check_codes(self, {"person_type": "person_type"})
        if self.other_code and not self.other_code_kind:
            raise ValidationError({"other_code_kind": _("Say what kind of code this is.")})


class DoraVendor(IdentifiedMixin, TenantOwnedModel):
    """A vendor as ICT third-party service provider (B_05.01)."""

    vendor = models.OneToOneField(Vendor, on_delete=models.CASCADE, related_name="dora")
    parent_lei = models.CharField(_("LEI of the ultimate parent undertaking"), max_length=20, blank=True,
                                  validators=[validate_lei],
                                  help_text=_("Leave empty when the provider is its own ultimate parent."))
    latin_name = models.CharField(_("name in Latin alphabet"), max_length=200, blank=True)
    intra_group = models.BooleanField(
        _("ICT intra-group service provider"), default=False,
        help_text=_("An entity of the financial entity's group: it is listed among the entities within the scope "
                    "of the register, and its contracts for providing ICT services are reported as intra-group."))
    group_entity_type = models.CharField(_("type of entity (within the group)"), max_length=20,
                                         default="eba_CT:x317")
    group_hierarchy = models.CharField(_("hierarchy within the group"), max_length=20, default="eba_RP:x56")

    change_log_parent = "vendor"

    class Meta:
        verbose_name = _("vendor DORA profile")

    def __str__(self) -> str:
        return f"{self.vendor} – DORA"

    def clean(self) -> None:
        super().clean()
        _check_codes(self, {"group_entity_type": "entity_type", "group_hierarchy": "hierarchy"})
        if self.intra_group and not self.lei:
            raise ValidationError({"lei": _("An entity of the group is identified by its LEI.")})


class DoraSubProcessor(IdentifiedMixin, TenantOwnedModel):
    """A sub-processor as subcontractor in the ICT supply chain (B_05.02 rank 2 and B_05.01)."""

    sub_processor = models.OneToOneField(SubProcessor, on_delete=models.CASCADE, related_name="dora")
    in_supply_chain = models.BooleanField(
        _("part of the ICT supply chain"), default=True,
        help_text=_("Subcontractors that effectively underpin the ICT services are reported in the register."))
    recipient = models.ForeignKey(
        SubProcessor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("subcontracted by"),
        help_text=_("Empty: the vendor itself subcontracts to it (rank 2). Otherwise the sub-processor of the same "
                    "vendor that subcontracts to it (rank 3 and below)."))

    change_log_parent = "sub_processor"

    class Meta:
        verbose_name = _("sub-processor DORA profile")

    def __str__(self) -> str:
        return f"{self.sub_processor} – DORA"

    def clean(self) -> None:
        super().clean()
        if self.recipient_id is None or not self.sub_processor_id:
            return
        if self.recipient.vendor_id != self.sub_processor.vendor_id:
            raise ValidationError({"recipient": _("Choose a sub-processor of the same vendor.")})
        seen, current = {self.sub_processor_id}, self.recipient
        while current is not None:  # walk up the chain: it must not come back to this sub-processor
            if current.pk in seen:
                raise ValidationError({"recipient": _("This would make the supply chain a circle.")})
            seen.add(current.pk)
            profile = DoraSubProcessor.objects.filter(sub_processor_id=current.pk).select_related("recipient").first()
            current = profile.recipient if profile else None


class DoraContract(TenantOwnedModel):
    """A contract as contractual arrangement (B_02.01, B_02.02)."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="dora")
    in_register = models.BooleanField(_("in the register of information"), default=True)
    arrangement_type = models.CharField(_("type of contractual arrangement"), max_length=20, default="eba_CO:x1")
    overarching = models.ForeignKey(Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("overarching arrangement"))
    annual_cost = models.DecimalField(_("annual expense or estimated cost"), max_digits=16, decimal_places=2,
                                      null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    termination_reason = models.CharField(_("reason of termination"), max_length=20, blank=True)
    notice_provider_days = models.PositiveIntegerField(_("notice period for the provider (days)"), null=True,
                                                       blank=True, validators=[MaxValueValidator(3650)])
    governing_law_country = models.CharField(_("country of the governing law"), max_length=2, blank=True,
                                             validators=[validate_country])
    branches = models.ManyToManyField(DoraBranch, blank=True, related_name="contracts",
                                      verbose_name=_("branches making use of the ICT services"))
    signed_by = models.ForeignKey(
        Vendor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("signed by an entity of the group"),
        help_text=_("Empty: the financial entity signed it. Otherwise the ICT intra-group service provider that "
                    "signed it for the group."))
    linked_contracts = models.ManyToManyField(
        Contract, blank=True, related_name="+", verbose_name=_("linked arrangements of the intra-group provider"),
        help_text=_("For a contract with an ICT intra-group service provider: the provider's own contracts with "
                    "providers outside the group that the services rely on."))

    change_log_parent = "contract"

    class Meta:
        verbose_name = _("contract DORA profile")

    def __str__(self) -> str:
        return f"{self.contract} – DORA"

    def clean(self) -> None:
        _check_codes(self, {"arrangement_type": "arrangement_type", "termination_reason": "termination_reason"})
        if self.currency and self.currency not in definitions.currencies():
            raise ValidationError({"currency": _("Not an ISO 4217 currency.")})
        if self.overarching_id and self.overarching_id == self.contract_id:
            raise ValidationError({"overarching": _("A contract cannot be its own overarching arrangement.")})
        if self.signed_by_id and not DoraVendor.objects.filter(vendor_id=self.signed_by_id, intra_group=True).exists():
            raise ValidationError({"signed_by": _("Only an ICT intra-group service provider signs for the group.")})


class DoraService(TenantOwnedModel):
    """An integration as ICT service received under a contract (B_02.02, B_05.02, B_07.01)."""

    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="dora")
    contract = models.ForeignKey(Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("contract the service is provided under"))
    functions = models.ManyToManyField(DoraFunction, blank=True, related_name="services",
                                       verbose_name=_("supported functions"))
    ict_service_type = models.CharField(_("type of ICT service"), max_length=20, blank=True)
    provision_country = models.CharField(_("country of provision"), max_length=2, blank=True,
                                         validators=[validate_country])
    data_stored = models.BooleanField(_("the provider stores data"), null=True, blank=True)
    storage_countries = models.JSONField(_("location of the data at rest"), default=list, blank=True,
                                         validators=[validate_country_list],
                                         help_text=_("Empty: the countries recorded in the legal profile."))
    processing_countries = models.JSONField(_("location of data processing"), default=list, blank=True,
                                            validators=[validate_country_list],
                                            help_text=_("Empty: the integration's countries of processing."))
    sensitiveness = models.CharField(_("sensitiveness of the data stored"), max_length=20, blank=True)
    reliance = models.CharField(_("level of reliance"), max_length=20, blank=True)
    substitutability = models.CharField(_("substitutability"), max_length=20, blank=True)
    non_substitutability_reason = models.CharField(_("reason if hard to substitute"), max_length=20, blank=True)
    last_audit = models.DateField(_("date of the last audit of the provider"), null=True, blank=True)
    exit_plan = models.BooleanField(_("an exit plan exists"), null=True, blank=True)
    reintegration = models.CharField(_("possibility of reintegration"), max_length=20, blank=True)
    impact = models.CharField(_("impact of discontinuing the service"), max_length=20, blank=True)
    alternatives_identified = models.CharField(_("alternative providers identified"), max_length=20, blank=True)
    alternatives = models.CharField(_("alternative providers"), max_length=300, blank=True)

    change_log_parent = "integration"

    class Meta:
        verbose_name = _("integration DORA profile")

    def __str__(self) -> str:
        return f"{self.integration} – DORA"

    def clean(self) -> None:
        _check_codes(self, {"ict_service_type": "ict_service_type", "sensitiveness": "sensitiveness",
                            "reliance": "reliance", "substitutability": "substitutability",
                            "non_substitutability_reason": "non_substitutability_reason",
                            "reintegration": "reintegration", "impact": "impact",
                            "alternatives_identified": "yes_no_not_assessed"})
        if self.contract_id and self.integration_id and self.contract.vendor_id != self.integration.vendor_id:
            raise ValidationError({"contract": _("Choose a contract with the integration's vendor.")})

    def save(self, *args, **kwargs):
        self.storage_countries = sorted({c.upper() for c in self.storage_countries or []})
        self.processing_countries = sorted({c.upper() for c in self.processing_countries or []})
        super().save(*args, **kwargs)
