from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "vendorvet.web.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from vendorvet.web.core.registry import NavItem, registry

        for item in (
            NavItem(_("Integrations"), "inventory:integration_list", order=10),
            NavItem(_("Vendors"), "inventory:vendor_list", order=20),
            NavItem(_("Change log"), "inventory:change_list", order=1000),
        ):
            registry.nav_items.register(item.url_name, item)
