from django.apps import apps
from django.urls import NoReverseMatch, reverse

from vendorvet.web.accounts.roles import PERMISSIONS


def _app_nav(perms):
    """Main-menu entries that feature apps declare: ``nav_items = [(label, url_name, permission)]``."""
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, permission in getattr(config, "nav_items", ()):
            if permission and permission not in perms:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": label, "url": url})
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
