"""Scan pages: the integration panel, "Scan now", run details with history, the run list, settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.downloads import attachment
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration
from vendorvet.web.scans import services
from vendorvet.web.scans.models import RunStatus, ScanRun
from vendorvet.web.scans.presentation import STATUS_SHORT, shown_targets

POLL_SECONDS = 5


PROBLEM_STATUSES = ("fail", "error", "warn")


def with_counts(runs):
    """Runs with their targets prefetched and problem counts annotated (no query per row)."""
    return runs.prefetch_related("targets").annotate(
        **{f"n_{status}": Count("findings", filter=Q(findings__status=status)) for status in PROBLEM_STATUSES})


def _run_rows(runs) -> list[dict]:
    return [{
        "run": run,
        "grades": list(run.targets.all()),
        "counts": [(status, STATUS_SHORT[status], getattr(run, f"n_{status}"))
                   for status in PROBLEM_STATUSES if getattr(run, f"n_{status}")],
    } for run in runs]


class IntegrationPanelView(PermissionRequiredMixin, View):
    """HTML fragment for the integration page: latest grade, findings by status, Scan now."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.all(), pk=pk)
        latest = ScanRun.objects.filter(integration=integration).order_by("-created", "-pk").first()
        active = services.active_run(integration)
        shown = (latest if latest is not None and latest.status == RunStatus.DONE else
                 ScanRun.objects.filter(integration=integration, status=RunStatus.DONE)
                 .order_by("-created", "-pk").first())
        return render(request, "scans/_panel.html", {
            "integration": integration,
            "latest": latest,
            "shown": shown,
            "targets": shown_targets(shown) if shown else [],
            "diff": services.compare(shown) if shown else None,
            "has_endpoints": integration.endpoints.exists(),
            "can_scan": roles.has_perm(roles.CHANGE),
            "active": active,
            "stale": latest is not None and latest.active and active is None,
            "poll": active is not None,
            "poll_seconds": POLL_SECONDS,
        })


class ScanNowView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.all(), pk=pk)
        try:
            run = services.start_scan(integration)
        except services.ScanRefused as exc:
            messages.warning(request, str(exc))
            return redirect(integration)
        if run.status == RunStatus.DONE:
            messages.success(request, _("The scan is finished."))
        elif run.status == RunStatus.FAILED:
            messages.error(request, _("The scan failed: %(error)s") % {"error": run.error or _("unknown error")})
        else:
            messages.success(request, _("The scan was queued; its results appear here when it is finished."))
        return redirect(integration)


class RunDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        run = get_object_or_404(ScanRun.objects.select_related("integration", "integration__vendor"), pk=pk)
        return render(request, "scans/run_detail.html", {
            "run": run,
            "targets": shown_targets(run),
            "diff": services.compare(run) if run.status == RunStatus.DONE else None,
            "poll": run.active and run.created >= timezone.now() - services.STALE_AFTER,
            "poll_seconds": POLL_SECONDS,
            "can_export": roles.has_perm(roles.EXPORT),
        })


class RunExportView(PermissionRequiredMixin, View):
    """A finished run's findings as SARIF 2.1.0 or OCSF 1.x JSON (download)."""

    required_permission = roles.EXPORT
    fmt = "sarif"

    def get(self, request, pk: int):
        from vendorvet.web.scans import exports

        run = get_object_or_404(ScanRun.objects, pk=pk)
        text, content_type, name = exports.render(run, self.fmt)
        audit("export.scan", request=request, format=self.fmt, run_id=run.pk)
        return attachment(text, name, content_type)


class IntegrationHistoryView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        runs = with_counts(ScanRun.objects.filter(integration=integration).order_by("-created", "-pk"))
        page = Paginator(runs, 25).get_page(request.GET.get("page"))
        rows = _run_rows(page.object_list)
        for row in rows:
            row["diff"] = services.compare(row["run"]) if row["run"].status == RunStatus.DONE else None
        return render(request, "scans/integration_history.html", {
            "integration": integration, "rows": rows, "page_obj": page,
            "can_scan": roles.has_perm(roles.CHANGE),
        })


class RunListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        runs = with_counts(ScanRun.objects.select_related("integration").order_by("-created", "-pk"))
        status = request.GET.get("status", "")
        if status in RunStatus.values:
            runs = runs.filter(status=status)
        page = Paginator(runs, 50).get_page(request.GET.get("page"))
        return render(request, "scans/run_list.html", {
            "rows": _run_rows(page.object_list), "page_obj": page, "statuses": RunStatus.choices,
            "status": status, "can_settings": services.can_change_settings(),
        })


class CheckCatalogueView(PermissionRequiredMixin, View):
    """Every check behind scan and specification-audit findings, from the engine's check contract: a new check
    module appears here without a template or view change."""

    required_permission = roles.VIEW

    def get(self, request):
        from vendorvet.engine import registry
        from vendorvet.web.core.checktexts import check_text
        from vendorvet.web.scans.presentation import SEVERITY_LABELS

        groups = {"scan": [], "openapi": []}
        for info in registry.catalogue().values():
            groups.setdefault(info.kind, []).append({
                "title": check_text(info.id, "title"), "severity": info.severity.value,
                "severity_label": SEVERITY_LABELS.get(info.severity.value, info.severity.value),
                "risk": check_text(info.id, "risk"), "remediation": check_text(info.id, "remediation"),
                "sources": list(info.sources)})
        return render(request, "scans/check_list.html", {"scan_checks": groups["scan"],
                                                         "audit_checks": groups["openapi"]})


class SettingsView(PermissionRequiredMixin, View):
    required_permission = services.SETTINGS_PERMISSION

    def get(self, request):
        """Which addresses scans and alert deliveries may reach: the operator's policy, shown, not edited."""
        from vendorvet.web.core import outbound

        return render(request, "scans/settings.html", {"allowed_networks": outbound.allowed_networks()})
