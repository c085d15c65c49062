from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "vendorvet.web.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from vendorvet.web.core.registry import DashboardSection, NavItem, Panel, registry
        from vendorvet.web.reports import api, delivery

        registry.nav_items.register("reports:settings", NavItem(_("Report settings"), "reports:settings",
                                                                permission="manage_policy", order=90))
        registry.integration_panels.register("reports:integration_panel",
                                             Panel("reports:integration_panel", order=90))
        registry.dashboard_sections.register("reports.documents", DashboardSection(
            _("Reports"), lambda: [], order=900, template="reports/_dashboard_section.html"))
        registry.periodic_hooks.register("reports.management_email", delivery.scheduled_report)
        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/reports/…
