from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScansConfig(AppConfig):
    name = "vendorvet.web.scans"
    label = "scans"
    verbose_name = _("Scans")
    nav_items = [(_("Scans"), "scans:run_list", "view")]
    integration_panels = ["scans:integration_panel"]

    def ready(self) -> None:
        from vendorvet.web.scans import api
        from vendorvet.web.core.registry import registry

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/scans/…
