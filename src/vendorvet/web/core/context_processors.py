from vendorvet.web.accounts.roles import PERMISSIONS


def tenancy(request):
    role = getattr(request, "role", None)
    perms = PERMISSIONS.get(role, frozenset()) if role else frozenset()
    return {
        "active_tenant": getattr(request, "tenant", None),
        "active_role": role,
        "memberships": getattr(request, "memberships", []),
        "can": {p: True for p in perms},
    }
