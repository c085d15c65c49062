"""REST API under /api/: resources, the OpenAPI document and its interactive docs."""

import importlib

from django.urls import path
from django.views.generic import RedirectView
from rest_framework.routers import SimpleRouter

from vendorvet.web.api import schema  # noqa: F401  (registers the token security scheme)
from vendorvet.web.api.views.accounts import MeView, TokenViewSet
from vendorvet.web.api.views.docs import SchemaView, SwaggerDocsView
from vendorvet.web.api.views.history import ChangeViewSet
from vendorvet.web.api.views.tiers import TierPolicyView
from vendorvet.web.api.views.inventory import ContactViewSet, EndpointViewSet, IntegrationViewSet, VendorViewSet

app_name = "api"

router = SimpleRouter()
router.register("integrations", IntegrationViewSet, basename="integration")
router.register("vendors", VendorViewSet, basename="vendor")
router.register("contacts", ContactViewSet, basename="contact")
router.register("endpoints", EndpointViewSet, basename="endpoint")
router.register("changes", ChangeViewSet, basename="change")
router.register("tokens", TokenViewSet, basename="token")

# Feature apps add their resources in ``vendorvet.web.<app>.api``: ``register(router)`` and,
# optionally, ``urlpatterns`` for non-router views (mounted under /api/).
FEATURE_APPS = ("assessments", "scans", "discovery", "legal", "monitoring", "supplychain")
feature_urlpatterns = []
for _app in FEATURE_APPS:
    try:
        _module = importlib.import_module(f"vendorvet.web.{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"vendorvet.web.{_app}.api":
            raise
        continue
    _module.register(router)
    feature_urlpatterns += getattr(_module, "urlpatterns", [])

urlpatterns = [
    *feature_urlpatterns,
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(), name="docs"),
    path("me/", MeView.as_view(), name="me"),
    path("tier-policy/", TierPolicyView.as_view(), name="tier_policy"),
    *router.urls,
]
