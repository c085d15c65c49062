from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    name = "vendorvet.web.supplychain"
    label = "supplychain"
    verbose_name = _("Supplychain")
