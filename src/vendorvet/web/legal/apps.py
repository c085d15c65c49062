from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "vendorvet.web.legal"
    label = "legal"
    verbose_name = _("Legal")
    nav_items = [(_("Legal"), "legal:overview", "view")]
    integration_panels = ["legal:integration_panel"]

    def ready(self) -> None:
        from vendorvet.web.legal import api
        from vendorvet.web.core.registry import registry

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/legal/…
