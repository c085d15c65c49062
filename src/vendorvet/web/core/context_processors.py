"""Template context for every page: the active tenant and role, what the role may do, and the main menu."""

from django.urls import NoReverseMatch, reverse

from vendorvet.web.core.registry import registry
from vendorvet.web.core.roles import PERMISSIONS


def _app_nav(perms) -> list[dict]:
    """The main menu: the ``NavItem``s that apps register in ``registry.nav_items``, in their order."""
    entries = []
    for item in registry.sorted(registry.nav_items):
        if item.permission and item.permission not in perms:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url})
    return entries


def tenancy(request):
    role = getattr(request, "role", None)
    perms = PERMISSIONS.get(role, frozenset()) if role else frozenset()
    tenant = getattr(request, "tenant", None)
    return {
        "active_tenant": tenant,
        "active_role": role,
        "memberships": getattr(request, "memberships", []),
        "can": {p: True for p in perms},
        "app_nav": _app_nav(perms) if tenant is not None else [],
    }
