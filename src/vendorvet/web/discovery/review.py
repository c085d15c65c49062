"""What the review's point 3 (authentication, least privilege) sees of the discovered grants: each app linked
to the integration with its scopes, their risk and why, and the least-privilege gap a person recorded."""

from __future__ import annotations

from vendorvet.web.core.i18n import content_language
from vendorvet.web.discovery.models import DiscoveredApp

# requirements of checklist point 3 whose answer depends on what was granted
LEAST_PRIVILEGE_REQUIREMENTS = frozenset({"auth.least_privilege"})


def granted_for_review(integration, requirement_id: str | None) -> list[DiscoveredApp] | None:
    """The integration's discovered apps (highest risk first) with ``scope_rows`` and ``reason_texts`` in the
    content language, for the requirements that ask what was granted; None for every other requirement."""
    if requirement_id not in LEAST_PRIVILEGE_REQUIREMENTS or integration is None:
        return None
    from vendorvet.web.discovery.importer import risk_order

    language = content_language()
    apps = sorted((a for a in DiscoveredApp.objects.filter(integration=integration) if a.scopes), key=risk_order)
    for a in apps:
        a.reason_texts = [r.get(language) or r.get("en", "") for r in a.risk_reasons or []]
        a.scope_rows = [{**s, "reason_text": (s.get("reason") or {}).get(language, "")} for s in a.scopes or []]
    return apps
