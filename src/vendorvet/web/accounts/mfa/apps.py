from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MfaConfig(AppConfig):
    name = "vendorvet.web.accounts.mfa"
    label = "vv_mfa"
    verbose_name = _("Two-factor authentication")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from vendorvet.web.accounts.mfa import freshness

        freshness.connect()
