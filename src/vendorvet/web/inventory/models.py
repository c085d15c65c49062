"""Vendors, their contacts, integrations (apps and APIs a company uses) and their endpoints."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vendorvet.engine.tiering import TierResult, apply_policy, compute_tier, facts_from, validate_policy
from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.inventory.choices import (
    AccessScope,
    DataCategory,
    DataSubject,
    DiscoverySource,
    Kind,
    OutageImpact,
    Status,
    Tier,
    country_codes,
)


def validate_country_list(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list of country codes."))
    known = set(country_codes())
    bad = [c for c in value if c not in known]
    if bad:
        raise ValidationError(_("Unknown country codes: %(codes)s"), params={"codes": ", ".join(map(str, bad))})


def _check_choice_list(value, choices) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list."))
    allowed = {v for v, _label in choices}
    bad = [v for v in value if v not in allowed]
    if bad:
        raise ValidationError(_("Unknown values: %(values)s"), params={"values": ", ".join(map(str, bad))})


def validate_data_categories(value) -> None:
    _check_choice_list(value, DataCategory.choices)


def validate_data_subjects(value) -> None:
    _check_choice_list(value, DataSubject.choices)


def validate_tags(value) -> None:
    if not isinstance(value, list) or not all(isinstance(t, str) and 0 < len(t) <= 50 for t in value):
        raise ValidationError(_("Tags must be a list of short texts (up to 50 characters each)."))


def validate_public_url(value: str) -> None:
    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an http(s) URL with a host name."))
    if parts.username or parts.password:
        raise ValidationError(_("URLs must not contain credentials."))


class Vendor(TenantOwnedModel):
    name = models.CharField(_("legal name"), max_length=200)
    country = models.CharField(_("country of establishment"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_public_url])
    trust_center_url = models.URLField(_("trust center"), blank=True, validators=[validate_public_url])
    status_page_url = models.URLField(_("status page"), blank=True, validators=[validate_public_url])
    dpa_url = models.URLField(_("DPA / AVV"), blank=True, validators=[validate_public_url])
    subprocessors_url = models.URLField(_("sub-processor list"), blank=True, validators=[validate_public_url])
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="vendor_name_unique_per_tenant")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.country and self.country not in set(country_codes()):
            raise ValidationError({"country": _("Unknown country code.")})

    def get_absolute_url(self) -> str:
        return reverse("inventory:vendor_detail", args=[self.pk])


class Contact(TenantOwnedModel):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True,
                            help_text=_("e.g. account manager, security contact, data protection officer"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    change_log_parent = "vendor"

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class GrantedRisk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class GrantedAccess(models.TextChoices):
    APPLICATION = "application", _("as application permission (without a user)")
    TENANT_WIDE = "tenant_wide", _("by an administrator for all users")
    USER = "user", _("by single users")


class Integration(TenantOwnedModel):
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="integrations",
                               verbose_name=_("vendor"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SAAS)
    purpose = models.TextField(_("purpose"), blank=True)
    business_owner = models.CharField(_("business owner"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.PROPOSED)
    data_categories = models.JSONField(_("data categories"), default=list, blank=True,
                                       validators=[validate_data_categories])
    data_subjects = models.JSONField(_("data subjects"), default=list, blank=True,
                                     validators=[validate_data_subjects])
    approx_users = models.PositiveIntegerField(_("approx. users"), null=True, blank=True)
    approx_records = models.PositiveBigIntegerField(_("approx. records"), null=True, blank=True)
    processing_countries = models.JSONField(_("countries of processing"), default=list, blank=True,
                                            validators=[validate_country_list])
    access_scope = models.CharField(_("access scope"), max_length=20, choices=AccessScope.choices, blank=True)
    outage_impact = models.CharField(_("outage impact"), max_length=20, choices=OutageImpact.choices, blank=True)
    discovery_source = models.CharField(_("found by"), max_length=20, choices=DiscoverySource.choices,
                                        default=DiscoverySource.MANUAL)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.LOW, editable=False)
    # Set by the discovery import from the OAuth grants found for this integration (never by a person);
    # a tier factor like the fields above.
    granted_scope_risk = models.CharField(_("risk of granted scopes"), max_length=10, choices=GrantedRisk.choices,
                                          blank=True, editable=False)
    granted_access = models.CharField(_("highest-risk scopes granted"), max_length=20,
                                      choices=GrantedAccess.choices, blank=True, editable=False)
    granted_scopes = models.JSONField(_("highest-risk granted scopes"), default=list, blank=True, editable=False)
    # "verified" | "unverified" | "" (unknown): the publisher of the discovered app(s) holding those grants
    granted_publisher = models.CharField(_("publisher of the granted app"), max_length=10, blank=True,
                                         editable=False)
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tags])
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "vendor", "name"], name="integration_unique_per_vendor"),
        ]
        indexes = [
            models.Index(fields=["tenant", "name"]),
            models.Index(fields=["tenant", "status", "name"]),
            models.Index(fields=["tenant", "tier", "name"]),
            models.Index(fields=["tenant", "department", "name"]),
            models.Index(fields=["tenant", "vendor", "name"]),
            models.Index(fields=["tenant", "-last_updated"]),
            # the dashboard's tier × status matrix, counted from the index alone (no table rows, no sort)
            models.Index(fields=["tenant", "tier", "status"], name="integration_tier_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inventory:integration_detail", args=[self.pk])

    def tier_result(self, rules=None) -> TierResult:
        """The tier with its reasons, under the tenant's tier policy (or ``rules`` given by the caller)."""
        if rules is None:
            rules = getattr(self, "_tier_rules", None) or tier_rules_for(self.tenant_id)
        return compute_tier(facts_from(self.data_categories, self.access_scope, self.outage_impact,
                                       self.approx_users, self.approx_records,
                                       granted_scope_risk=self.granted_scope_risk, granted_access=self.granted_access,
                                       granted_scopes=self.granted_scopes or (),
                                       granted_publisher=self.granted_publisher), rules)

    def clean(self) -> None:
        if DataCategory.NONE in (self.data_categories or []) and len(self.data_categories) > 1:
            raise ValidationError({"data_categories": _("'None' cannot be combined with other categories.")})

    def save(self, *args, **kwargs):
        self.data_categories = sorted(set(self.data_categories or []))
        self.data_subjects = sorted(set(self.data_subjects or []))
        self.processing_countries = sorted(set(c.upper() for c in (self.processing_countries or [])))
        self.tags = sorted(set(self.tags or []))
        self.tier = self.tier_result().tier
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"tier"}
        super().save(*args, **kwargs)


class TierPolicy(TenantOwnedModel):
    """A tenant's deviations from the default tier rules (content/tiering.yaml), with the reason."""

    rules = models.JSONField(_("rule settings"), default=dict, blank=True)
    justification = models.TextField(_("justification"))

    class Meta:
        verbose_name = _("tier policy")
        verbose_name_plural = _("tier policies")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="one_tier_policy_per_tenant")]

    def __str__(self) -> str:
        return str(_("Tier policy"))

    def clean(self) -> None:
        from vendorvet.engine.tiering import PolicyError

        try:
            self.rules = validate_policy({"rules": self.rules or {}})["rules"]
        except PolicyError as exc:
            raise ValidationError({"rules": str(exc)}) from exc
        if not (self.justification or "").strip():
            raise ValidationError({"justification": _("Say why this tenant deviates from the default rules.")})


def tier_rules_for(tenant_id) -> dict:
    """The tier rules in force for a tenant: the defaults with its policy applied."""
    policy = None
    if tenant_id is not None:
        policy = TierPolicy.all_tenants.filter(tenant_id=tenant_id).values_list("rules", flat=True).first()
    return apply_policy({"rules": policy or {}})


class Endpoint(TenantOwnedModel):
    """A base URL of the integration's API or app — what automated checks will scan."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="endpoints")
    url = models.URLField(_("base URL"), max_length=500, validators=[validate_public_url])
    description = models.CharField(_("description"), max_length=200, blank=True)

    change_log_parent = "integration"

    class Meta:
        ordering = ["url"]
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")
        constraints = [models.UniqueConstraint(fields=["integration", "url"], name="endpoint_unique_per_integration")]

    def __str__(self) -> str:
        return self.url
