from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "vendorvet.web.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
    nav_items = [
        (_("Assessments"), "assessments:list", "view"),
        (_("Certifications"), "assessments:certifications", "view"),
    ]
    integration_panels = ["assessments:integration_panel"]
    vendor_panels = ["assessments:vendor_panel"]

    def ready(self) -> None:
        from vendorvet.web.assessments import api
        from vendorvet.web.core.registry import registry

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/assessments/…
