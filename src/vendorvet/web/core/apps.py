from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vendorvet.web.core"
    label = "core"
    verbose_name = "vendorvet core"

    def ready(self) -> None:
        from vendorvet.web.core import lookups  # noqa: F401  (registers the JSON "has" lookup)
