"""The resources the API infrastructure serves itself: inventory, accounts (me, tokens) and the change history.

Feature apps register theirs from their own ``AppConfig.ready()`` (see ``api.routes``).
"""

from __future__ import annotations

from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.api.views.accounts import MeView, TokenViewSet
from vendorvet.web.api.views.history import ChangeViewSet
from vendorvet.web.api.views.inventory import ContactViewSet, EndpointViewSet, IntegrationViewSet, VendorViewSet
from vendorvet.web.api.views.tiers import TierPolicyView

ROUTES = (
    ApiRoutes("inventory", (
        Resource("integrations", IntegrationViewSet, "inventory-integration", old_paths=("integrations",)),
        Resource("vendors", VendorViewSet, "inventory-vendor", old_paths=("vendors",)),
        Resource("contacts", ContactViewSet, "inventory-contact", old_paths=("contacts",)),
        Resource("endpoints", EndpointViewSet, "inventory-endpoint", old_paths=("endpoints",)),
        Resource("tier-policy", TierPolicyView, "inventory-tier-policy", old_paths=("tier-policy",)),
    )),
    ApiRoutes("accounts", (
        Resource("me", MeView, "accounts-me", old_paths=("me",)),
        Resource("tokens", TokenViewSet, "accounts-token", old_paths=("tokens",)),
    )),
    ApiRoutes("core", (
        Resource("changes", ChangeViewSet, "core-change", old_paths=("changes",)),
    )),
)
