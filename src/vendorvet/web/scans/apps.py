from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScansConfig(AppConfig):
    name = "vendorvet.web.scans"
    label = "scans"
    verbose_name = _("Scans")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register("scans:run_list", NavItem(_("Scans"), "scans:run_list", order=40))
        registry.integration_panels.register("scans:integration_panel", Panel("scans:integration_panel", order=20))

        from vendorvet.web.scans import changes

        changes.register()  # event kinds, the TLS-expiry calendar check, lease recovery, hooks for monitoring

        from vendorvet.web.scans import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/scans/…

        from vendorvet.web.scans import review

        review.register()  # review-evidence provider

        from vendorvet.web.scans import dashboard

        dashboard.register()  # dashboard figures and the integration-list facets behind them
