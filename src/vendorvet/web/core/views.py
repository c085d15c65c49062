"""View mixins shared by every web app: login, an active tenant, and a role permission."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render

from vendorvet.web.core import roles


class TenantRequiredMixin(LoginRequiredMixin):
    """Logged in, with an active tenant; otherwise the 'no tenant' page (HTTP 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and getattr(request, "tenant", None) is None:
            return render(request, "no_tenant.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class PermissionRequiredMixin(TenantRequiredMixin):
    """Set ``required_permission`` (one of core.roles: view, add, change, delete, import, export …)."""

    required_permission = roles.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and getattr(request, "tenant", None) is not None:
            roles.require(self.required_permission)  # raises PermissionDeniedError -> HTTP 403
        return super().dispatch(request, *args, **kwargs)
