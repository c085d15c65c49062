from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "vendorvet.web.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        for item in (
            NavItem(_("Assessments"), "assessments:list", order=30),
            NavItem(_("Certifications"), "assessments:certifications", order=31),
            NavItem(_("Risk acceptances"), "assessments:risk_register", order=32),
            NavItem(_("Conditions"), "assessments:conditions", order=33),
            NavItem(_("Approval policy"), "assessments:policy", order=34),
        ):
            registry.nav_items.register(item.url_name, item)
        registry.integration_panels.register(
            "assessments:integration_panel", Panel("assessments:integration_panel", order=10),
        )
        registry.integration_panels.register(
            "assessments:risk_panel", Panel("assessments:risk_panel", order=11),
        )
        registry.vendor_panels.register("assessments:vendor_panel", Panel("assessments:vendor_panel", order=10))

        from vendorvet.web.assessments import calendar

        calendar.register()  # event kinds and calendar checks for monitoring

        from vendorvet.web.assessments import dashboard

        dashboard.register()  # dashboard figures and the integration-list facets behind them

        from vendorvet.web.assessments import api, evidence_providers

        evidence_providers.register()  # point 1 from the certification register

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/assessments/…
