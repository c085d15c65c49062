"""REST API under /api/: the OpenAPI document, its interactive docs, and every registered resource.

The resources come from ``registry.api_routes`` — filled by each app's ``AppConfig.ready()`` (this package's
own ``ApiConfig`` for inventory, accounts and the change history) — as ``/api/<app>/<resource>/``, followed by
the deprecated aliases of the paths used before (see ``api.routes``). This module imports no feature app.
"""

from django.urls import path
from django.views.generic import RedirectView

from vendorvet.web.api.routes import build_urlpatterns
from vendorvet.web.api.views.docs import SchemaView, SwaggerDocsView
from vendorvet.web.core.registry import registry

app_name = "api"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(), name="docs"),
    *build_urlpatterns(registry.api_routes.values()),
]
