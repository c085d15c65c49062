"""Scan runs of an integration's endpoints, their per-target results and stored findings.

A :class:`ScanRun` is logged in the change history (under its integration); the rows it produces
(:class:`ScanTarget`, :class:`Finding`) are evidence, written once by the scan task and never edited,
so they are not logged one by one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.models import TenantOwnedModel


class TenantScanSettings(TenantOwnedModel):
    """Per-tenant scan settings. Which addresses may be scanned is not among them: that is the operator's
    outbound policy (``core.outbound``); the former tenant switch for internal targets was removed."""

    class Meta:
        verbose_name = _("scan settings")
        verbose_name_plural = _("scan settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="one_scan_settings_per_tenant")]

    def __str__(self) -> str:
        return str(_("Scan settings"))


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ScanRun(TenantOwnedModel):
    integration = models.ForeignKey("inventory.Integration", on_delete=models.CASCADE, related_name="scan_runs",
                                    verbose_name=_("integration"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("requested by"))
    requested_by_label = models.CharField(_("requested by"), max_length=150, blank=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=40, blank=True)
    allow_private = models.BooleanField(_("internal targets allowed"), default=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    # The lease of the worker running the scan: claimed by compare-and-swap on ``attempts`` (also the fencing
    # token of the final write), renewed while the scan runs; an expired lease means the worker is gone.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_by = models.CharField(max_length=120, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # What the dashboard reads of a finished run, written once with its findings (``scans.dashboard.summarise``):
    # the worst grade of its endpoints ("-": none graded) and the day its soonest TLS certificate ends ("": no
    # certificate date seen). NULL means "not summarised"; readers then derive both from the run's rows.
    worst_grade = models.CharField(_("worst grade"), max_length=1, null=True, blank=True, editable=False)
    cert_day = models.CharField(_("TLS certificate ends"), max_length=10, null=True, blank=True, editable=False)
    worst_grade.change_log_exclude = cert_day.change_log_exclude = True  # derived from the run's rows

    change_log_parent = "integration"

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("scan run")
        verbose_name_plural = _("scan runs")
        indexes = [models.Index(fields=["tenant", "integration", "-created"]),
                   models.Index(fields=["status", "lease_until"], name="scanrun_status_lease")]

    def __str__(self) -> str:
        return f"scan #{self.pk} of {self.integration}"

    @staticmethod
    def history_repr(data: dict) -> str:
        """The change history's name of a run, in the reader's language: "Scan von <integration>"."""
        from django.utils.translation import gettext

        from vendorvet.web.inventory.models import Integration

        integration = Integration.objects.filter(pk=data.get("integration")).first()
        return gettext("Scan of %(integration)s") % {"integration": integration or "—"}

    @property
    def active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    def get_absolute_url(self) -> str:
        return reverse("scans:run_detail", args=[self.pk])


class ScanTarget(TenantOwnedModel):
    """One scanned endpoint of a run, with its grade, score and the deductions behind them."""

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="targets")
    endpoint = models.ForeignKey("inventory.Endpoint", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    target = models.CharField(_("target"), max_length=500)
    host = models.CharField(_("host"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    addresses = models.JSONField(_("addresses"), default=list, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    deductions = models.JSONField(_("deductions"), default=list, blank=True)
    duration_seconds = models.FloatField(default=0)
    note = models.TextField(_("note"), blank=True)

    change_logged = False

    class Meta:
        ordering = ["target", "pk"]
        verbose_name = _("scanned target")
        verbose_name_plural = _("scanned targets")

    def __str__(self) -> str:
        return self.target


class Finding(TenantOwnedModel):
    """One check result for one target of a run."""

    STATUSES = ["fail", "error", "warn", "info", "pass", "not_applicable"]
    PROBLEMS = ("fail", "warn", "error")

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="findings")
    scan_target = models.ForeignKey(ScanTarget, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(_("check"), max_length=100)
    status = models.CharField(_("status"), max_length=20)
    severity = models.CharField(_("severity"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    change_logged = False

    class Meta:
        ordering = ["scan_target_id", "check_id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["tenant", "run", "status"]),
                   models.Index(fields=["tenant", "check_id"])]

    def __str__(self) -> str:
        return f"{self.check_id}: {self.status}"

    @property
    def is_problem(self) -> bool:
        return self.status in self.PROBLEMS
