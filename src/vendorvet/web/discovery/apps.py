from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "vendorvet.web.discovery"
    label = "discovery"
    verbose_name = _("Discovery")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, Panel, registry

        registry.nav_items.register(
            "discovery:app_list", NavItem(_("Discovered apps"), "discovery:app_list", order=50),
        )
        for item in (
            Panel("discovery:integration_panel", order=30),
            Panel("discovery:openapi_panel", order=31),
        ):
            registry.integration_panels.register(item.url_name, item)

        from vendorvet.web.discovery import sources

        sources.mirror()  # the engine's discovery sources, also those registered later
        # stored codes as the change history shows them (core.texts.human)
        for key in ("sources", "source"):
            registry.value_labels.register(key, lambda v: sources.label(v) if sources.get(v) else v)
        registry.value_labels.register("flags", _flag_label)

        from vendorvet.web.discovery import api

        registry.api_routes.register(api.ROUTES.app, api.ROUTES)  # /api/discovery/…

        from vendorvet.web.discovery import review

        review.register()  # review-evidence provider

        from vendorvet.web.discovery import dashboard

        dashboard.register()  # dashboard figures


def _flag_label(flag: str) -> str:
    from django.utils.translation import gettext

    return {"unverified_publisher": gettext("unverified publisher"), "reply_url_not_https": gettext("reply URL not HTTPS"),
            "tenant_wide_consent": gettext("admin consent for all users"),
            "application_permissions": gettext("application permissions"), "offline_access": gettext("offline access"),
            "restricted_scopes": gettext("restricted scopes"), "many_users": gettext("many users"),
            "least_privilege_gap": gettext("more than needed"),
            "admin_api": gettext("calls Admin SDK APIs")}.get(flag, flag)
