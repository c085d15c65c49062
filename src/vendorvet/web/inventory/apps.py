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
            NavItem(_("Tier rules"), "inventory:tier_policy", order=21),
            NavItem(_("Change log"), "inventory:change_list", order=1000),
        ):
            registry.nav_items.register(item.url_name, item)
        from vendorvet.web.inventory.choices import DataCategory, DataSubject

        for key, choices in (("data_categories", DataCategory), ("data_category", DataCategory),
                             ("data_subjects", DataSubject)):
            registry.value_labels.register(key, lambda value, c=choices: str(dict(c.choices).get(value, value)))
