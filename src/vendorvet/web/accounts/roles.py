"""Roles and what they may do: the table lives in ``core.roles`` (core's view mixins enforce it and core imports
no app); accounts re-exports it because memberships store these roles and many callers import it from here."""

from vendorvet.web.core.roles import (  # noqa: F401
    ADD,
    CHANGE,
    DECIDE,
    DELETE,
    EXPORT,
    IMPORT,
    MANAGE_MEMBERS,
    MANAGE_POLICY,
    MANAGE_TOKENS,
    PERMISSIONS,
    PermissionDeniedError,
    READ_ONLY,
    SIGN_OFF_LEGAL,
    VIEW,
    Role,
    allowed,
    has_perm,
    require,
)
