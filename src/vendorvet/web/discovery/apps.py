from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "vendorvet.web.discovery"
    label = "discovery"
    verbose_name = _("Discovery")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register(
            "discovery:app_list", NavItem(_("Discovered apps"), "discovery:app_list", order=50),
        )
        for item in (
            Panel("discovery:integration_panel", order=30),
            Panel("discovery:openapi_panel", order=31),
        ):
            registry.integration_panels.register(item.url_name, item)

        from vendorvet.web.discovery import sources

        sources.mirror()  # the engine's discovery sources, also those registered later

        from vendorvet.web.discovery import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/discovery/…

        from vendorvet.web.discovery import review

        review.register()  # review-evidence provider

        from vendorvet.web.discovery import dashboard

        dashboard.register()  # dashboard figures
