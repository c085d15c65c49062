from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountSecurityConfig(AppConfig):
    name = "vendorvet.web.accounts.security"
    label = "accounts_security"
    verbose_name = _("Login and sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vendorvet.web.accounts.security import sessions  # noqa: F401 - connects the signal receivers
