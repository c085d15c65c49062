from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "vendorvet.web.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from vendorvet.web.core import events as core_events
        from vendorvet.web.core.registry import NavItem, Panel, registry
        from vendorvet.web.monitoring import channels
        from vendorvet.web.monitoring.events import Sink
        from vendorvet.web.monitoring import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/monitoring/…
        from vendorvet.web.monitoring.scheduling import on_scan_finished

        registry.hooks.register(core_events.SINK, Sink())  # core.events.record() ends here
        channels.register()  # e-mail, webhook, Slack, Teams
        core_events.scan_finished.connect(on_scan_finished, dispatch_uid="monitoring_on_scan_finished")

        registry.nav_items.register(
            "monitoring:event_list", NavItem(_("Monitoring"), "monitoring:event_list", order=70),
        )
        registry.integration_panels.register(
            "monitoring:integration_panel", Panel("monitoring:integration_panel", order=50),
        )
        from vendorvet.web.core.registry import DashboardSection
        from vendorvet.web.monitoring import dashboard

        registry.dashboard_sections.register("monitoring.severity", DashboardSection(
            _("Open monitoring events by severity"), dashboard.by_severity, order=20,
            per_tenant=dashboard.severity_per_tenant))
        registry.dashboard_sections.register("monitoring.calendar", DashboardSection(
            _("Due and overdue: reviews, certificates, risk acceptances, contracts"), dashboard.by_calendar_kind,
            order=30))
