from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vendorvet.web.audit"
    label = "audit"
    verbose_name = _("Security audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vendorvet.web.audit import receivers

        receivers.connect()
