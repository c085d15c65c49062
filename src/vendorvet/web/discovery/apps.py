from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "vendorvet.web.discovery"
    label = "discovery"
    verbose_name = _("Discovery")
    nav_items = [(_("Discovered apps"), "discovery:app_list", "view")]
    integration_panels = ["discovery:integration_panel", "discovery:openapi_panel"]

    def ready(self) -> None:
        from vendorvet.web.discovery import api
        from vendorvet.web.core.registry import registry

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/discovery/…
