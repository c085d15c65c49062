from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "vendorvet.web.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from vendorvet.web.core.registry import DashboardSection, NavItem, registry
        from vendorvet.web.dashboard import api, figures, snapshots

        registry.nav_items.register("dashboard:home", NavItem(_("Dashboard"), "dashboard:home", order=1))
        registry.dashboard_sections.register(
            "inventory.tiers", DashboardSection(_("Integrations by tier and status"), figures.integrations, order=10,
                                               per_tenant=figures.integrations_per_tenant))
        registry.periodic_hooks.register("dashboard.snapshot", snapshots.weekly_snapshot)
        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/dashboard/…
