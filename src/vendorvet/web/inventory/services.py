"""Writes to the inventory, with the role check every interface goes through.

Web views, API views, the importer and the CLI call these; each call checks the
active actor's permission and validates the object fully before saving.
"""

from __future__ import annotations

from typing import Iterable

from django.db import transaction

from vendorvet.web.accounts import roles
from vendorvet.web.core.context import require_tenant
from vendorvet.web.inventory.models import Endpoint, Integration, TierPolicy, tier_rules_for


def save_object(obj, *, creating: bool | None = None):
    """Validate and save a vendor, contact, integration or endpoint after a role check."""
    creating = obj._state.adding if creating is None else creating
    roles.require(roles.ADD if creating else roles.CHANGE)
    if obj.tenant_id is None:
        obj.tenant = require_tenant()  # so per-tenant unique constraints are validated, not left to the DB
    obj.full_clean(validate_unique=True, validate_constraints=True)
    obj.save()
    return obj


def delete_object(obj) -> None:
    roles.require(roles.DELETE)
    obj.delete()


@transaction.atomic
def set_endpoints(integration: Integration, urls: Iterable[str]) -> None:
    """Make the integration's endpoints exactly ``urls`` (order-insensitive, logged per change)."""
    roles.require(roles.CHANGE)
    wanted = list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))
    existing = {e.url: e for e in integration.endpoints.all()}
    for url, endpoint in existing.items():
        if url not in wanted:
            endpoint.delete()
    for url in wanted:
        if url not in existing:
            endpoint = Endpoint(integration=integration, url=url, tenant=integration.tenant)
            endpoint.full_clean()
            endpoint.save()




def set_granted_access(integration: Integration, risk: str, access: str, scopes: Iterable[str],
                       publisher: str | None = None) -> bool:
    """Record what the discovered OAuth grants give an integration (the highest scope risk, how those scopes
    were granted, which they are) — a tier factor owned by the discovery import, never a person's field.
    Saves (tier and history follow) only when something changed; needs the *import* permission."""
    roles.require(roles.IMPORT)
    from vendorvet.web.inventory.models import GrantedAccess, GrantedRisk

    if risk not in ("", *GrantedRisk.values) or access not in ("", *GrantedAccess.values):
        raise ValueError(f"invalid granted access {risk!r}/{access!r}")
    if publisher not in (None, "", "verified", "unverified"):
        raise ValueError(f"invalid publisher status {publisher!r}")
    publisher = integration.granted_publisher if publisher is None else publisher
    scopes = [str(s)[:200] for s in scopes][:20]
    if (integration.granted_scope_risk, integration.granted_access, list(integration.granted_scopes or []),
            integration.granted_publisher) == (risk, access, scopes, publisher):
        return False
    integration.granted_scope_risk, integration.granted_access, integration.granted_scopes = risk, access, scopes
    integration.granted_publisher = publisher
    integration.save(update_fields=["granted_scope_risk", "granted_access", "granted_scopes", "granted_publisher",
                                    "last_updated"])
    return True


def current_tier_policy() -> TierPolicy | None:
    return TierPolicy.objects.first()


@transaction.atomic
def set_tier_policy(rules: dict, justification: str) -> tuple[object, int]:
    """Store the tenant's tier-rule deviations and recompute every integration's tier.

    Needs the ``decide`` permission (the policy decides how deep reviews go). Returns the
    policy and how many integrations changed tier; each change lands in the history.
    """
    roles.require(roles.DECIDE)
    policy = TierPolicy.objects.first() or TierPolicy()
    policy.rules = rules
    policy.justification = justification
    if policy.tenant_id is None:
        policy.tenant = require_tenant()
    policy.full_clean()
    policy.save()
    return policy, recompute_tiers()


def recompute_tiers() -> int:
    """Recompute the tier of every integration of the active tenant; save only those that changed."""
    tenant = require_tenant()
    rules = tier_rules_for(tenant.pk)
    changed = 0
    for integration in Integration.objects.order_by("pk").iterator(chunk_size=500):
        new = integration.tier_result(rules).tier
        if new != integration.tier:
            integration._tier_rules = rules
            integration.save(update_fields=["tier", "last_updated"])
            changed += 1
    return changed
