"""Discovered apps (shadow IT), the grants seen for them, and the imports that found them."""

from __future__ import annotations

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.discovery.sources import label as label_of, validate_source


class Platform(models.TextChoices):
    GOOGLE = "google", _("Google Workspace")
    MICROSOFT = "microsoft", _("Microsoft Entra ID")
    WEB = "web", _("Network logs")


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class AppStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")
    # an app (Entra service principal) that is present but holds no grant or assignment: not "active"
    NO_GRANTS = "no_grants", _("No active grants")


class ReviewState(models.TextChoices):
    """A discovered app is a proposal until a person accepts it into the inventory or rejects it."""

    PENDING = "pending", _("Proposal – not reviewed")
    ACCEPTED = "accepted", _("Accepted into the inventory")
    REJECTED = "rejected", _("Rejected")


GUID = re.compile(r"^(sp:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


class PermissionType(models.TextChoices):
    DELEGATED = "delegated", _("Delegated (on behalf of a user)")
    APPLICATION = "application", _("Application (without a user)")
    ASSIGNMENT = "assignment", _("User or group assigned")


class ImportRun(TenantOwnedModel):
    # a discovery source's id; the sources are registered (web.discovery.sources), not model choices
    source = models.CharField(_("source"), max_length=20, validators=[validate_source])
    files = models.JSONField(_("files"), default=list)  # [{"name", "size", "sha256"}]
    started = models.DateTimeField(_("started"))
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    actor_label = models.CharField(_("imported by"), max_length=150, blank=True)
    records = models.PositiveBigIntegerField(_("records read"), default=0)
    skipped = models.PositiveBigIntegerField(_("records skipped"), default=0)
    apps_seen = models.PositiveIntegerField(_("apps seen"), default=0)
    apps_new = models.PositiveIntegerField(_("new apps"), default=0)
    integrations_created = models.PositiveIntegerField(_("integrations created"), default=0)
    grants_new = models.PositiveIntegerField(_("new grants"), default=0)
    revocations = models.PositiveIntegerField(_("revocations"), default=0)
    # what this import found revoked: {"apps": [{"id", "name"}], "grants": [{"app_id", "app", "principal", "type",
    # "scopes", "whole", "revoked"}] (the first 500), "grants_total": n}
    revoked = models.JSONField(_("revoked"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # other names of users this import proved (Google: numeric profile id -> e-mail), kept so that a later
    # import naming a user by id lands on the same grant
    aliases = models.JSONField(_("user aliases"), default=dict, blank=True)

    class Meta:
        ordering = ["-started", "-pk"]
        verbose_name = _("discovery import")
        verbose_name_plural = _("discovery imports")

    def __str__(self) -> str:
        return f"{self.source_label} {self.started:%Y-%m-%d %H:%M}"

    @staticmethod
    def history_repr(data: dict) -> str:
        """The change history's name of an import in the reader's language (source and local start time)."""
        from django.utils import formats, timezone
        from django.utils.dateparse import parse_datetime

        started = parse_datetime(str(data.get("started") or ""))
        when = formats.date_format(timezone.localtime(started) if started and timezone.is_aware(started)
                                   else started, "SHORT_DATETIME_FORMAT") if started else ""
        return f"{label_of(str(data.get('source', '')))} {when}".strip()

    @property
    def source_label(self) -> str:
        """The source's name in the active language."""
        return label_of(self.source)

    def get_source_display(self) -> str:  # as Django offers it for fields with choices
        return self.source_label

    def get_absolute_url(self) -> str:
        return reverse("discovery:run_detail", args=[self.pk])


class DiscoveredApp(TenantOwnedModel):
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    client_id = models.CharField(_("client ID"), max_length=300,
                                 help_text=_("OAuth client ID, Entra application ID, or catalogue key"))
    name = models.CharField(_("name"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    verified_publisher = models.BooleanField(_("verified publisher"), null=True, blank=True)
    owner_organization = models.CharField(_("owner organisation"), max_length=100, blank=True)
    object_id = models.CharField(_("service principal object ID"), max_length=100, blank=True,
                                 help_text=_("Entra ID: how grants and role assignments refer to the app"))
    sign_in_audience = models.CharField(_("sign-in audience"), max_length=100, blank=True)
    client_type = models.CharField(_("client type"), max_length=50, blank=True)
    reply_urls = models.JSONField(_("reply URLs"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list)
    catalogue_key = models.CharField(_("catalogue entry"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    country = models.CharField(_("country of the company"), max_length=2, blank=True)
    integration = models.ForeignKey("inventory.Integration", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="discovered_apps", verbose_name=_("integration"))
    status = models.CharField(_("status"), max_length=10, choices=AppStatus.choices, default=AppStatus.ACTIVE)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.LOW)
    risk_reasons = models.JSONField(_("risk reasons"), default=list, blank=True)  # [{"en", "de"}]
    flags = models.JSONField(_("flags"), default=list, blank=True)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)  # ratings, see engine.discovery.scopes
    excess_scopes = models.JSONField(_("excess scopes"), default=list, blank=True)
    # Google Admin SDK APIs the app was seen calling (token log "activity" events): administrative access
    admin_apis = models.JSONField(_("Admin SDK APIs called"), default=list, blank=True)
    required_scopes = models.JSONField(_("scopes the business needs"), null=True, blank=True,
                                       help_text=_("Recorded by a person; granted scopes beyond these are "
                                                   "shown as a least-privilege gap."))
    review_state = models.CharField(_("review"), max_length=10, choices=ReviewState.choices,
                                    default=ReviewState.PENDING)
    review_reason = models.CharField(_("reason"), max_length=500, blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    users_count = models.PositiveIntegerField(_("users"), default=0)
    hits = models.PositiveBigIntegerField(_("requests"), default=0)
    bytes = models.PositiveBigIntegerField(_("bytes"), default=0)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    first_import = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="new_apps", verbose_name=_("first import"))
    last_import = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("last import"))

    change_log_parent = "integration"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("discovered app")
        verbose_name_plural = _("discovered apps")
        constraints = [models.UniqueConstraint(fields=["tenant", "platform", "client_id"],
                                               name="discovered_app_unique_per_tenant")]
        indexes = [models.Index(fields=["tenant", "risk", "name"]), models.Index(fields=["tenant", "catalogue_key"]),
                   models.Index(fields=["tenant", "review_state", "name"])]

    def __str__(self) -> str:
        return self.label

    @property
    def unnamed(self) -> bool:
        """No readable name was resolved: only the app or object id (an Entra export without names)."""
        name = (self.name or "").strip()
        return not name or name == self.client_id or name == self.object_id or bool(GUID.match(name))

    @property
    def short_id(self) -> str:
        ident = self.client_id[3:] if self.client_id.startswith("sp:") else self.client_id
        return ident[:8] + "…" if len(ident) > 8 else ident

    @property
    def label(self) -> str:
        """The name people see; an unnamed app by its publisher and the start of its id, never a bare GUID."""
        if not self.unnamed:
            return self.name
        platform = gettext("Entra") if self.platform == Platform.MICROSOFT else self.get_platform_display()
        if self.publisher:
            return gettext("unnamed %(platform)s app %(id)s by %(publisher)s") % {
                "platform": platform, "id": self.short_id, "publisher": self.publisher}
        return gettext("unnamed %(platform)s app %(id)s, publisher unknown") % {"platform": platform,
                                                                              "id": self.short_id}

    @property
    def tenant_wide(self) -> bool:
        """Granted for all users (admin consent) or as an application permission: it reaches everyone."""
        return bool({"tenant_wide_consent", "application_permissions"} & set(self.flags or []))

    def get_absolute_url(self) -> str:
        return reverse("discovery:app_detail", args=[self.pk])


class Grant(TenantOwnedModel):
    """One principal's grant to an app; ``*`` is tenant-wide (admin consent or application permission)."""

    app = models.ForeignKey(DiscoveredApp, on_delete=models.CASCADE, related_name="grants")
    principal = models.CharField(_("user"), max_length=300)
    permission_type = models.CharField(_("permission type"), max_length=20, choices=PermissionType.choices,
                                       default=PermissionType.DELEGATED)
    scopes = models.JSONField(_("scopes"), default=dict)  # scope -> resource name
    # scopes a later snapshot no longer listed while the grant remained: scope -> {"resource", "revoked"}
    revoked_scopes = models.JSONField(_("revoked scopes"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AppStatus.choices, default=AppStatus.ACTIVE)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_authorized = models.DateTimeField(_("last authorised"), null=True, blank=True)
    last_revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_listed = models.DateTimeField(_("last listed"), null=True, blank=True)
    events = models.PositiveBigIntegerField(_("events"), default=0)

    # Observed data, written in bulk by imports; each import is recorded as an ImportRun instead.
    change_logged = False

    class Meta:
        ordering = ["principal", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [models.UniqueConstraint(fields=["app", "principal", "permission_type"],
                                               name="grant_unique_per_app_principal")]

    def __str__(self) -> str:
        return f"{self.principal} → {self.app}"

    @property
    def tenant_wide(self) -> bool:
        return self.principal == "*"


class OpenApiAudit(TenantOwnedModel):
    """One audit of an integration's OpenAPI document (``vendorvet openapi audit``), kept as evidence."""

    integration = models.ForeignKey("inventory.Integration", on_delete=models.CASCADE, related_name="openapi_audits",
                                    verbose_name=_("integration"))
    file_name = models.CharField(_("file name"), max_length=255)
    openapi_version = models.CharField(_("OpenAPI version"), max_length=20, blank=True)
    title = models.CharField(_("API title"), max_length=300, blank=True)
    api_version = models.CharField(_("API version"), max_length=100, blank=True)
    operations = models.PositiveIntegerField(_("operations"), default=0)
    # [{"check_id", "status", "severity", "title", "detail", "evidence": {"pointer", ...}}]
    findings = models.JSONField(_("findings"), default=list)
    counts = models.JSONField(_("findings by status"), default=dict)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    change_log_parent = "integration"

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("OpenAPI audit")
        verbose_name_plural = _("OpenAPI audits")
        indexes = [models.Index(fields=["tenant", "integration", "created"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.title or self.openapi_version})"

    def get_absolute_url(self) -> str:
        return self.integration.get_absolute_url()

    def problems(self) -> list[dict]:
        """Failed and warned findings, worst first, each with its JSON ``pointer``."""
        order = {"fail": 0, "warn": 1}
        rows = [{**f, "pointer": (f.get("evidence") or {}).get("pointer", "")} for f in self.findings
                if f.get("status") in order]
        return sorted(rows, key=lambda f: (order[f["status"]], f.get("check_id", "")))
