"""Monitoring pages: open events with filters and actions, an event, the integration timeline panel,
alert rules and settings (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.events import kind_choices
from vendorvet.web.core.registry import registry
from vendorvet.web.core.paging import DeepPagePaginator
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration
from vendorvet.web.monitoring import services
from vendorvet.web.monitoring.alerts import ensure_default_rules
from vendorvet.web.monitoring.events import config
from vendorvet.web.monitoring.forms import AlertRuleForm, MonitoringSettingsForm
from vendorvet.web.monitoring.models import (
    AlertDelivery,
    AlertRule,
    EventState,
    MonitoringEvent,
    ScanSchedule,
    Severity,
)
from vendorvet.web.monitoring.scheduling import cadence_days, monitoring_settings

ACTIVE_STATES = [EventState.OPEN, EventState.ACKNOWLEDGED, EventState.SNOOZED]


def _date(value):
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def filtered_events(params):
    """Events filtered by state (default: open and acknowledged), kind, severity, integration, the day last
    seen (``since``/``until``, inclusive) and free text (``q``: title, what changed, integration, vendor)."""
    from django.db.models import Q
    qs = MonitoringEvent.objects.select_related("integration", "vendor").order_by("-last_seen", "-pk")
    state = params.get("state", "active")
    if state == "active":
        qs = qs.filter(state__in=[EventState.OPEN, EventState.ACKNOWLEDGED])
    elif state in EventState.values:
        qs = qs.filter(state=state)
    kind = params.get("kind", "")
    if kind in registry.event_kinds:
        qs = qs.filter(kind=kind)
    severity = params.get("severity", "")
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    integration = params.get("integration", "")
    if str(integration).isdigit():
        qs = qs.filter(integration_id=int(integration))
    since, until = _date(params.get("since")), _date(params.get("until"))
    if since:
        qs = qs.filter(last_seen__date__gte=since)
    if until:
        qs = qs.filter(last_seen__date__lte=until)
    text = str(params.get("q", "")).strip()[:200]
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(detail__icontains=text) | Q(integration__name__icontains=text)
                       | Q(vendor__name__icontains=text) | Q(integration__vendor__name__icontains=text))
    return qs, {"state": state, "kind": kind, "severity": severity, "integration": integration,
                "since": since.isoformat() if since else "", "until": until.isoformat() if until else "", "q": text}


class EventListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        services.wake_snoozed()
        qs, chosen = filtered_events(request.GET)
        page = DeepPagePaginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, "monitoring/event_list.html", {
            "page_obj": page, "events": page.object_list, "chosen": chosen,
            "kinds": kind_choices(), "severities": Severity.choices,
            "states": [("active", _("open and acknowledged")), *EventState.choices],
            "integrations": Integration.objects.order_by("name").only("pk", "name"),
            "can_change": roles.has_perm(roles.CHANGE), "can_admin": services.can_administer(),
            "next": request.get_full_path(),
        })


class EventDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        event = get_object_or_404(MonitoringEvent.objects.select_related("integration", "vendor", "run"), pk=pk)
        return render(request, "monitoring/event_detail.html", {
            "event": event, "deliveries": AlertDelivery.objects.filter(event=event).select_related("rule"),
            "can_change": roles.has_perm(roles.CHANGE), "next": request.get_full_path(),
        })


class EventStateView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        event = get_object_or_404(MonitoringEvent.objects.all(), pk=pk)
        days = request.POST.get("days")
        try:
            services.change_state(event, request.POST.get("action", ""),
                                  days=int(days) if days and days.isdigit() else None)
        except services.ActionError as exc:
            return HttpResponseBadRequest(str(exc))
        messages.success(request, _("The event is now %(state)s.") % {"state": event.get_state_display()})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = event.get_absolute_url()
        return redirect(target)


def schedule_state(integration) -> dict:
    """How the integration is re-scanned, as it is: ``schedule_off`` (the tenant turned scheduled re-scans
    off), ``schedule_none`` (nothing to scan: no endpoints, or rejected/retired) or the tier's interval and the
    next date (``next_due``; None until the first monitoring run plans it)."""
    current = monitoring_settings()
    if not current.enabled:
        return {"schedule_off": True}
    if integration.status in ("rejected", "retired") or not integration.endpoints.exists():
        return {"schedule_none": True}
    schedule = ScanSchedule.objects.filter(integration=integration).first()
    return {"cadence": cadence_days(integration.tier, current),
            "next_due": schedule.next_due if schedule is not None else None}


class EventBulkView(PermissionRequiredMixin, View):
    """Acknowledge, snooze or resolve the checked events of the list (one form; works without JavaScript)."""

    required_permission = roles.CHANGE

    def post(self, request):
        days = request.POST.get("days")
        try:
            count = services.bulk_change_state(request.POST.getlist("ids"), request.POST.get("action", ""),
                                               days=int(days) if days and days.isdigit() else None)
        except services.ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, ngettext("%(n)d event changed.", "%(n)d events changed.", count)
                             % {"n": count})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = reverse("monitoring:event_list")
        return redirect(target)


class IntegrationPanelView(PermissionRequiredMixin, View):
    """HTML fragment for the integration page: the timeline of monitoring events with before/after."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.all(), pk=pk)
        events = (MonitoringEvent.objects.filter(integration=integration).select_related("run")
                  .order_by("-last_seen", "-pk")[:30])
        return render(request, "monitoring/_panel.html", {
            "integration": integration, "events": events,
            "open_count": MonitoringEvent.objects.filter(integration=integration, state=EventState.OPEN).count(),
            **schedule_state(integration),
            "can_change": roles.has_perm(roles.CHANGE),
            "next": integration.get_absolute_url(),
        })


class RuleListView(PermissionRequiredMixin, View):
    required_permission = services.ADMIN_PERMISSION

    def get(self, request):
        rules = ensure_default_rules()
        return render(request, "monitoring/rule_list.html", {"rules": rules})


class RuleEditView(PermissionRequiredMixin, View):
    required_permission = services.ADMIN_PERMISSION

    def _form(self, request, rule, data=None):
        from vendorvet.web.monitoring.channels.webhook import private_allowed

        return AlertRuleForm(data, instance=rule, allow_private=private_allowed())

    def _rule(self, pk):
        return get_object_or_404(AlertRule.objects.all(), pk=pk) if pk else AlertRule()

    def get(self, request, pk: int | None = None):
        rule = self._rule(pk)
        return render(request, "monitoring/rule_form.html", {"form": self._form(request, rule), "rule": rule})

    def post(self, request, pk: int | None = None):
        rule = self._rule(pk)
        form = self._form(request, rule, request.POST)
        if not form.is_valid():
            return render(request, "monitoring/rule_form.html", {"form": form, "rule": rule}, status=400)
        services.save_rule(form.save(commit=False))
        messages.success(request, _("The alert rule was saved."))
        return redirect("monitoring:rule_list")


class RuleDeleteView(PermissionRequiredMixin, View):
    required_permission = services.ADMIN_PERMISSION

    def post(self, request, pk: int):
        services.delete_rule(get_object_or_404(AlertRule.objects.all(), pk=pk))
        messages.success(request, _("The alert rule was deleted."))
        return redirect("monitoring:rule_list")


class SettingsView(PermissionRequiredMixin, View):
    required_permission = services.ADMIN_PERMISSION

    def _context(self, form):
        return {"form": form, "defaults": sorted(config()["cadence_days"].items())}

    def get(self, request):
        return render(request, "monitoring/settings.html", self._context(MonitoringSettingsForm(
            instance=monitoring_settings())))

    def post(self, request):
        form = MonitoringSettingsForm(request.POST, instance=monitoring_settings())
        if not form.is_valid():
            return render(request, "monitoring/settings.html", self._context(form), status=400)
        services.save_settings(form.save(commit=False))
        messages.success(request, _("The monitoring settings were saved."))
        return redirect("monitoring:settings")
