from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "vendorvet.web.watch"
    label = "watch"
    verbose_name = _("Published pages")

    def ready(self) -> None:
        from vendorvet.web.core.registry import Panel, registry
        from vendorvet.web.watch import api, kinds, scheduling

        kinds.register()
        registry.vendor_panels.register("watch:vendor_panel", Panel("watch:vendor_panel", order=30))
        registry.scheduled_checks.register("watch.due_pages", scheduling.enqueue_due)
        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/watch/…
