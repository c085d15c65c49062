from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vendorvet.web.audit"
    label = "audit"
    verbose_name = _("Security audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vendorvet.web.audit import chain, receivers
        from vendorvet.web.core.registry import registry

        receivers.connect()
        # run by the monitoring scheduler's tick: removes events older than VENDORVET_AUDIT_RETENTION_DAYS
        if "maintenance.audit_prune" not in registry.hooks:
            registry.hooks.register("maintenance.audit_prune", chain.prune)
