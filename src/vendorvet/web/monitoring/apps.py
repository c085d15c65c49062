from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "vendorvet.web.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register(
            "monitoring:event_list", NavItem(_("Monitoring"), "monitoring:event_list", order=70),
        )
        registry.integration_panels.register(
            "monitoring:integration_panel", Panel("monitoring:integration_panel", order=50),
        )

        from django.db.models.signals import post_save

        from vendorvet.web.monitoring.scheduling import on_scan_finished
        from vendorvet.web.scans.models import ScanRun

        post_save.connect(on_scan_finished, sender=ScanRun, dispatch_uid="monitoring_on_scan_finished")
