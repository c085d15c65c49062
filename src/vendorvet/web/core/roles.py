"""Roles and what they may do — one table, enforced for web, API and CLI alike."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.context import PermissionDeniedError, current_actor  # noqa: F401 (re-exported)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ASSESSOR = "assessor", _("Assessor")
    AUDITOR = "auditor", _("Read-only auditor")
    DPO = "dpo", _("Data protection officer")


VIEW, EXPORT, ADD, CHANGE, DELETE, IMPORT = "view", "export", "add", "change", "delete", "import"
# DECIDE: approve/reject and override tiers or scores — kept apart from CHANGE (separation of duties:
# the assessor who answers the checklist does not approve their own review).
DECIDE = "decide"
MANAGE_MEMBERS, MANAGE_TOKENS = "manage_members", "manage_tokens"
# SIGN_OFF_LEGAL: the data protection officer's sign-off of a review's legal points (AVV, transfers/TIA,
# register entry) — only the DPO role has it. MANAGE_POLICY: change the tenant's approval policy.
SIGN_OFF_LEGAL, MANAGE_POLICY = "sign_off_legal", "manage_policy"

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.AUDITOR: frozenset({VIEW, EXPORT}),
    Role.ASSESSOR: frozenset({VIEW, EXPORT, ADD, CHANGE, IMPORT}),
    Role.ADMIN: frozenset({VIEW, EXPORT, ADD, CHANGE, DELETE, IMPORT, DECIDE, MANAGE_MEMBERS, MANAGE_TOKENS,
                           MANAGE_POLICY}),
    # the DPO sees everything, works on the legal records (AVV checklist, transfer checks, register entries) and
    # signs off a review's legal points; deciding, deleting and managing members stay with administrators
    Role.DPO: frozenset({VIEW, EXPORT, ADD, CHANGE, IMPORT, SIGN_OFF_LEGAL}),
}
READ_ONLY = frozenset({VIEW, EXPORT})


def allowed(role: str | None, permission: str) -> bool:
    return role is not None and permission in PERMISSIONS.get(role, frozenset())


def has_perm(permission: str) -> bool:
    actor = current_actor()
    if actor is None:
        return False
    if actor.token is not None and getattr(actor.token, "read_only", False) and permission not in READ_ONLY:
        return False
    return allowed(actor.role, permission)


def require(permission: str) -> None:
    """Raise unless the active actor's role in the active tenant grants ``permission``."""
    if not has_perm(permission):
        actor = current_actor()
        who = actor.label if actor else "nobody"
        role = actor.role if actor else None
        raise PermissionDeniedError(f"{who} (role {role or 'none'}) may not {permission}")
