from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vendorvet.web.core"
    label = "core"
    verbose_name = "vendorvet core"

    def ready(self) -> None:
        from vendorvet.web.core import changelog, lookups  # noqa: F401  (lookups registers the JSON "has" lookup)

        changelog.connect()  # every app's models are loaded before any ready() runs
