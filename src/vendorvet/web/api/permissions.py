"""Role-based permission for every API view: method → permission, checked against the actor."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from vendorvet.web.accounts import roles
from vendorvet.web.core.context import current_tenant

METHOD_PERMISSIONS = {
    "GET": roles.VIEW,
    "HEAD": roles.VIEW,
    "OPTIONS": roles.VIEW,
    "POST": roles.ADD,
    "PUT": roles.CHANGE,
    "PATCH": roles.CHANGE,
    "DELETE": roles.DELETE,
}


class RolePermission(BasePermission):
    """Views may set ``required_permissions = {"action_name": "perm"}`` to override by action."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated or current_tenant() is None:
            return False
        overrides = getattr(view, "required_permissions", {}) or {}
        action = getattr(view, "action", None)
        permission = overrides.get(action) or METHOD_PERMISSIONS.get(request.method)
        return permission is not None and roles.has_perm(permission)
