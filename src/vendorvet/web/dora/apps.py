from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoraConfig(AppConfig):
    name = "vendorvet.web.dora"
    label = "dora"
    verbose_name = _("DORA register of information")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register("dora:register", NavItem(_("DORA register"), "dora:register", order=65))
        registry.integration_panels.register("dora:integration_panel", Panel("dora:integration_panel", order=45))

        from vendorvet.web.dora import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/dora/…
