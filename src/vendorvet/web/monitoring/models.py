"""Monitoring: change events with their dedup key, the re-scan schedule, alert rules and deliveries.

Events, schedules and deliveries are bookkeeping written by tasks many times a day, so they are not
logged one by one in the change history; user actions on events (acknowledge, snooze, resolve) and the
settings and rules are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.events import kind_label, validate_kind
from vendorvet.web.core.models import TenantOwnedModel
from vendorvet.web.core.registry import registry
from vendorvet.web.core.severity import SEVERITY_RANK, FindingSeverity  # noqa: F401 - SEVERITY_RANK re-exported


# The engine's one severity scale (engine.severity) and its one rank map; the names stay importable here.
Severity = FindingSeverity


class EventState(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    SNOOZED = "snoozed", _("snoozed")
    RESOLVED = "resolved", _("resolved")


class MonitoringSettings(TenantOwnedModel):
    """Per-tenant re-scan cadence (days per tier) and whether scheduled re-scans run at all."""

    enabled = models.BooleanField(_("scheduled re-scans"), default=True)
    cadence_tier1 = models.PositiveSmallIntegerField(_("tier 1 every … days"), null=True, blank=True)
    cadence_tier2 = models.PositiveSmallIntegerField(_("tier 2 every … days"), null=True, blank=True)
    cadence_tier3 = models.PositiveSmallIntegerField(_("tier 3 every … days"), null=True, blank=True)
    cadence_tier4 = models.PositiveSmallIntegerField(_("tier 4 every … days"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="one_monitoring_settings_per_tenant")]

    def __str__(self) -> str:
        return str(_("Monitoring settings"))


class ScanSchedule(TenantOwnedModel):
    """When an integration is next due for a re-scan. Claimed by compare-and-swap on ``next_due``."""

    integration = models.OneToOneField("inventory.Integration", on_delete=models.CASCADE,
                                       related_name="scan_schedule")
    next_due = models.DateTimeField(_("next re-scan"))
    last_run = models.ForeignKey("scans.ScanRun", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    last_enqueued = models.DateTimeField(null=True, blank=True)

    change_logged = False

    class Meta:
        indexes = [models.Index(fields=["tenant", "next_due"])]

    def __str__(self) -> str:
        return f"{self.integration} due {self.next_due:%Y-%m-%d %H:%M}"


class MonitoringEvent(TenantOwnedModel):
    integration = models.ForeignKey("inventory.Integration", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="monitoring_events", verbose_name=_("integration"))
    vendor = models.ForeignKey("inventory.Vendor", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="monitoring_events", verbose_name=_("vendor"))
    # a key of registry.event_kinds (registered by the app that raises it): no choices, so a new kind
    # needs no migration
    kind = models.CharField(_("kind"), max_length=30, validators=[validate_kind])
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    dedup_key = models.CharField(max_length=300, editable=False)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("what changed"), blank=True)
    action = models.TextField(_("what to do"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    last_occurrence = models.CharField(max_length=100, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=15, choices=EventState.choices, default=EventState.OPEN)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    state_changed_by = models.CharField(_("changed by"), max_length=150, blank=True)
    run = models.ForeignKey("scans.ScanRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # {"title" | "detail" | "action": message and parameters (messages.py)}: shown in the reader's language;
    # title/detail/action above keep the text in the language it was recorded in (and serve older rows)
    texts = models.JSONField(default=dict, blank=True, editable=False)

    change_logged = False

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("monitoring event")
        verbose_name_plural = _("monitoring events")
        constraints = [models.UniqueConstraint(fields=["tenant", "dedup_key"], name="monitoring_event_dedup")]
        indexes = [models.Index(fields=["tenant", "state", "-last_seen"]),
                   models.Index(fields=["tenant", "integration", "-last_seen"]),
                   # the dashboard counts open events by severity and kind from this index alone
                   models.Index(fields=["tenant", "state", "severity", "kind"], name="monitoring_event_dashboard")]

    def __str__(self) -> str:
        return self.shown_title

    def get_absolute_url(self) -> str:
        return reverse("monitoring:event_detail", args=[self.pk])

    def get_kind_display(self):
        return kind_label(self.kind)

    def shown(self, part: str) -> str:
        """``title``, ``detail`` or ``action`` in the active language (the stored text for older rows)."""
        from vendorvet.web.core.messages import render

        data = (self.texts or {}).get(part)
        return getattr(self, part) if data is None else render(data)

    @property
    def shown_title(self) -> str:
        return self.shown("title")[:300]

    @property
    def shown_detail(self) -> str:
        return self.shown("detail")

    @property
    def shown_action(self) -> str:
        return self.shown("action")

    @property
    def change_list(self) -> list[dict]:
        """The changes a grouped event lists (``after["changes"]``, e.g. the findings of one scan run that
        changed), each with its title and statuses in the active language; [] for other events."""
        from vendorvet.web.core.messages import render

        changes = (self.after or {}).get("changes") if isinstance(self.after, dict) else None
        if not isinstance(changes, list):
            return []
        labels = {"new": _("new problem"), "resolved": _("problem resolved"), "changed": _("changed")}
        statuses = {"fail": _("failed"), "warn": _("warning"), "error": _("could not run"), "pass": _("passed"),
                    "info": _("information"), "not_applicable": _("not applicable"), "": _("not checked")}
        out = []
        for item in changes:
            if not isinstance(item, dict):
                continue
            before, after = str(item.get("before") or ""), str(item.get("after") or "")
            out.append({"change": labels.get(item.get("change"), item.get("change", "")),
                        "target": item.get("target", ""), "title": render(item.get("title")),
                        "before": statuses.get(before, before), "after": statuses.get(after, after),
                        "severity": item.get("severity", ""), "detail": item.get("detail", ""),
                        "action": render(item.get("action") or None)})
        return out


def _validate_channel(value: str) -> None:
    from vendorvet.web.monitoring.channels import validate_channel

    validate_channel(value)


class AlertRule(TenantOwnedModel):
    name = models.CharField(_("name"), max_length=200)
    enabled = models.BooleanField(_("active"), default=True)
    kinds = models.JSONField(_("event kinds"), default=list, blank=True,
                             help_text=_("Leave empty for every kind of event."))
    min_severity = models.CharField(_("minimum severity"), max_length=10, choices=Severity.choices,
                                    default=Severity.MEDIUM)
    # a key of registry.alert_channels (monitoring.channels): no choices, so a new channel needs no migration
    channel = models.CharField(_("channel"), max_length=10, default="email", validators=[_validate_channel])
    recipients = models.TextField(_("recipients"), blank=True,
                                  help_text=_("E-mail addresses, one per line. Empty: the tenant's administrators."))
    url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("Webhook: the body is signed with HMAC-SHA256 using this secret."))
    # secrets (a Slack/Teams URL is one): the change history records that they changed, never the value
    url.change_log_secret = True
    secret.change_log_secret = True
    digest = models.BooleanField(_("daily digest"), default=False,
                                 help_text=_("E-mail: collect the events of a day in one message."))
    language = models.CharField(_("language of the alerts"), max_length=5, blank=True, default="",
                                choices=[("", _("installation language")), ("en", _("English")),
                                         ("de", _("German"))],
                                help_text=_("The language the recipients read the alerts in."))
    last_digest = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """The name; a default rule's name (created in the installation's language) in the reader's."""
        from vendorvet.web.core.texts import known_text
        from vendorvet.web.monitoring.conf import config

        return known_text(self.name, [r.get("name") for r in config().get("default_rules", [])])

    def get_channel_display(self):
        from vendorvet.web.monitoring.channels import label

        return label(self.channel)

    def clean(self):
        super().clean()
        unknown = [kind for kind in (self.kinds or []) if kind not in registry.event_kinds]
        if unknown:
            raise ValidationError({"kinds": _("Unknown kinds of event: %(kinds)s") % {"kinds": ", ".join(unknown)}})


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    DIGEST = "digest", _("waiting for the digest")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class AlertDelivery(TenantOwnedModel):
    """One alert of one event through one rule; unique per (rule, event, occurrence): never sent twice."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(MonitoringEvent, on_delete=models.CASCADE, related_name="deliveries")
    occurrence = models.CharField(max_length=100)
    channel = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)

    change_logged = False

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["rule", "event", "occurrence"],
                                               name="alert_delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt"])]

    def __str__(self) -> str:
        return f"{self.rule} → {self.event} ({self.state})"

    @property
    def shown_name(self) -> str:
        """The name; a default rule's name (created in the installation's language) in the reader's."""
        from vendorvet.web.core.texts import known_text
        from vendorvet.web.monitoring.conf import config

        return known_text(self.name, [r.get("name") for r in config().get("default_rules", [])])

    def get_channel_display(self):
        from vendorvet.web.monitoring.channels import label

        return label(self.channel)
