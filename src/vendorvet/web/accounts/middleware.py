"""Request middleware: the active tenant (from the user's memberships) and the actor of each web request."""

from __future__ import annotations

from vendorvet.web.accounts.models import memberships_of
from vendorvet.web.core.context import Actor, reset_for_request, set_for_request

SESSION_TENANT_KEY = "vendorvet_tenant_id"


def resolve_web_tenant(request):
    """The active tenant of a logged-in user: the one chosen in the session, else the one joined first."""
    # the tenants' own second-factor policies come along (a join, not a query per request)
    memberships = list(memberships_of(request.user).select_related("tenant__mfa_policy"))
    chosen = request.session.get(SESSION_TENANT_KEY)
    for m in memberships:
        if m.tenant_id == chosen:
            return m.tenant, m.role, memberships
    if memberships:
        first = min(memberships, key=lambda m: m.pk)  # the tenant the user joined first
        request.session[SESSION_TENANT_KEY] = first.tenant_id
        return first.tenant, first.role, memberships
    return None, None, memberships


class TenantActorMiddleware:
    """Enter the user's active tenant and attribute the request's writes to the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.role = None
        request.memberships = []
        if not request.user.is_authenticated:
            return self.get_response(request)
        tenant, role, memberships = resolve_web_tenant(request)
        request.tenant, request.role, request.memberships = tenant, role, memberships
        actor = Actor(kind="user", label=request.user.get_username(), user=request.user, role=role)
        request.actor = actor
        tokens = set_for_request(tenant, actor)
        try:
            return self.get_response(request)
        finally:
            reset_for_request(tokens)
