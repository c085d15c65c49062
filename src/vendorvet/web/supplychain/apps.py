from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    name = "vendorvet.web.supplychain"
    label = "supplychain"
    verbose_name = _("Supply chain")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register(
            "supplychain:overview", NavItem(_("Supply chain"), "supplychain:overview", order=80),
        )
        registry.integration_panels.register(
            "supplychain:integration_panel", Panel("supplychain:integration_panel", order=60),
        )

        from vendorvet.web.supplychain import rematch

        rematch.register()  # its event kind for monitoring

        from vendorvet.web.supplychain import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/supplychain/…

        from vendorvet.web.supplychain import evidence_providers

        evidence_providers.register()  # review-evidence provider
