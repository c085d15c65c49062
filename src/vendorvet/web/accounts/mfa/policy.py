"""Who must use a second factor, and who has one.

The installation sets a minimum (``VENDORVET_MFA_REQUIRE``: ``none``, ``admins`` or ``all``; ``admins`` by default
in production mode, i.e. with ``VENDORVET_HTTPS``); each tenant's administrators may tighten it for their tenant,
never relax it. Operators (superusers) count as administrators.
"""

from __future__ import annotations

from django.conf import settings

from vendorvet.web.accounts.mfa.models import REQUIREMENT_ORDER, Passkey, Requirement, TenantMfaPolicy
from vendorvet.web.accounts.models import memberships_of
from vendorvet.web.accounts.roles import Role


def installation_minimum() -> str:
    value = getattr(settings, "VENDORVET_MFA_REQUIRE", Requirement.NONE)
    return value if value in REQUIREMENT_ORDER else Requirement.ADMINS


def stricter(a: str, b: str) -> str:
    return a if REQUIREMENT_ORDER.get(a, 0) >= REQUIREMENT_ORDER.get(b, 0) else b


def tenant_requirement(tenant) -> str:
    own = TenantMfaPolicy.objects.filter(tenant=tenant).values_list("require", flat=True).first()
    return stricter(installation_minimum(), own or Requirement.NONE)


def _applies(requirement: str, role: str | None) -> bool:
    return requirement == Requirement.ALL or (requirement == Requirement.ADMINS and role == Role.ADMIN)


def required_for(user, memberships=None) -> bool:
    """True if any of the user's tenants (or the installation, for operators) requires a second factor."""
    minimum = installation_minimum()
    if user.is_superuser and minimum != Requirement.NONE:
        return True
    memberships = memberships_of(user) if memberships is None else memberships
    own = _own_requirements(memberships)
    return any(_applies(stricter(minimum, own.get(m.tenant_id, Requirement.NONE)), m.role) for m in memberships)


def _own_requirements(memberships) -> dict:
    """Each tenant's own requirement: from the memberships if their tenants came with the policy joined
    (the tenant middleware's read), else one query."""
    memberships = list(memberships)
    if all("mfa_policy" in m.tenant._state.fields_cache for m in memberships):
        return {m.tenant_id: p.require for m in memberships if (p := getattr(m.tenant, "mfa_policy", None))}
    return dict(TenantMfaPolicy.objects.filter(tenant_id__in=[m.tenant_id for m in memberships])
                .values_list("tenant_id", "require"))


def totp_devices(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True)


def has_second_factor(user) -> bool:
    return totp_devices(user).exists() or Passkey.objects.filter(user=user).exists()
