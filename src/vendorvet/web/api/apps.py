from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API's shared infrastructure; it serves the inventory, account and history resources itself."""

    name = "vendorvet.web.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from vendorvet.web.api import schema  # noqa: F401  (registers the authentication schemes)
        from vendorvet.web.api.resources import ROUTES
        from vendorvet.web.core.registry import registry

        for routes in ROUTES:
            registry.api_routes.register(routes.app, routes)
