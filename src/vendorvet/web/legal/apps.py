from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "vendorvet.web.legal"
    label = "legal"
    verbose_name = _("Legal")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register("legal:overview", NavItem(_("Legal"), "legal:overview", order=60))
        registry.integration_panels.register("legal:integration_panel", Panel("legal:integration_panel", order=40))

        from vendorvet.web.legal import calendar

        calendar.register()  # event kinds and calendar checks for monitoring

        from vendorvet.web.legal import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/legal/…

        from vendorvet.web.legal import evidence_providers

        evidence_providers.register()  # review-evidence provider

        from vendorvet.web.legal import dashboard

        dashboard.register()  # dashboard figures and the integration-list facets behind them
