from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "vendorvet.web.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")
    nav_items = [(_("Monitoring"), "monitoring:event_list", "view")]
    integration_panels = ["monitoring:integration_panel"]

    def ready(self) -> None:
        from vendorvet.web.monitoring import api
        from vendorvet.web.core.registry import registry

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/monitoring/…

        from django.db.models.signals import post_save

        from vendorvet.web.monitoring.scheduling import on_scan_finished
        from vendorvet.web.scans.models import ScanRun

        post_save.connect(on_scan_finished, sender=ScanRun, dispatch_uid="monitoring_on_scan_finished")
