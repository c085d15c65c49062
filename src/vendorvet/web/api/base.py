"""Every API view enters the request's tenant and actor after authentication."""

from __future__ import annotations

from vendorvet.web.accounts.models import APIToken, role_in
from vendorvet.web.api.filtersets import FilterBackend
from vendorvet.web.api.schema import ApiAutoSchema
from vendorvet.web.core.context import Actor, reset_for_request, set_for_request


def api_tenant_and_actor(request):
    auth = request.auth
    user = request.user
    if isinstance(auth, APIToken):
        tenant = auth.tenant
        role = role_in(user, tenant)  # the user's role now: removing a membership disables the token
        label = f"{user.get_username()} (token {auth.name})"
        return tenant, Actor(kind="token", label=label, user=user, token=auth, role=role)
    if user is not None and user.is_authenticated:
        django_request = request._request
        tenant = getattr(django_request, "tenant", None)
        role = getattr(django_request, "role", None)
        return tenant, Actor(kind="user", label=user.get_username(), user=user, role=role)
    return None, None


class TenantContextMixin:
    """Mix into DRF views (before the DRF base class).

    Also maps model validation and protected deletes to API errors (see ``api.exceptions``)
    and marks every API response as not cacheable (they carry tenant data or keys).
    """

    _context_tokens = None
    schema = ApiAutoSchema()
    filter_backends = [FilterBackend]  # lists name a django-filter ``filterset_class``

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        tenant, actor = api_tenant_and_actor(request)
        self._context_tokens = set_for_request(tenant, actor)
        super().initial(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._context_tokens is not None:
                reset_for_request(self._context_tokens)
                self._context_tokens = None

    def get_exception_handler(self):
        from vendorvet.web.api.exceptions import exception_handler

        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response
