from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    name = "vendorvet.web.supplychain"
    label = "supplychain"
    verbose_name = _("Supply chain")
    nav_items = [(_("Supply chain"), "supplychain:overview", "view")]
    integration_panels = ["supplychain:integration_panel"]

    def ready(self) -> None:
        from vendorvet.web.supplychain import api
        from vendorvet.web.core.registry import registry

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/supplychain/…
