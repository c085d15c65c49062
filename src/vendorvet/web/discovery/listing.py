"""The discovered-apps document shared by ``vendorvet discover list --format json`` and the API."""

from __future__ import annotations

from vendorvet.engine.discovery.model import ALL_USERS
from vendorvet.web.discovery import sources
from vendorvet.web.discovery.models import DiscoveredApp, ImportRun


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def app_document(app: DiscoveredApp, grants=None, language: str = "en") -> dict:
    grants = list(app.grants.all()) if grants is None else grants
    users = sorted({g.principal for g in grants if g.principal != ALL_USERS})
    return {
        "id": app.pk,
        "name": app.name,
        "platform": app.platform,
        "sources": list(app.sources or []),
        "client_id": app.client_id,
        "publisher": app.publisher,
        "verified_publisher": app.verified_publisher,
        "users": users,
        "tenant_wide": any(g.principal == ALL_USERS for g in grants),
        "status": app.status,
        "risk": app.risk,
        "risk_reasons": [r.get(language) or r.get("en", "") for r in app.risk_reasons or []],
        "flags": list(app.flags or []),
        "scopes": [{"scope": s["scope"], "risk": s["risk"], "type": s.get("type", "delegated"),
                    "resource": s.get("resource", ""), "reason": (s.get("reason") or {}).get(language, "")}
                   for s in app.scopes or []],
        "excess_scopes": list(app.excess_scopes or []),
        "category": app.category,
        "country": app.country,
        "integration_id": app.integration_id,
        "label": app.label,
        "unnamed": app.unnamed,
        "review_state": app.review_state,
        "review_reason": app.review_reason,
        "suggested_data": _suggestion(app, language),
        "first_seen": _iso(app.first_seen),
        "last_seen": _iso(app.last_seen),
    }


def _suggestion(app: DiscoveredApp, language: str) -> dict:
    from vendorvet.web.discovery.proposals import suggestion

    found = suggestion(app)
    source = found.source
    if isinstance(source, dict):
        source = source.get(language) or source.get("en", "")
    return {"categories": list(found.categories), "source": source,
            "kinds": [{"kind": k["kind"], "communications": k["communications"], "scopes": k["scopes"],
                       "label": k["label"].get(language) or k["label"]["en"]} for k in found.kinds]}


def latest_warnings() -> list[str]:
    """The warnings of the latest import of each source (registered ones first, in their order)."""
    warnings = []
    stored = set(ImportRun.objects.order_by().values_list("source", flat=True).distinct())
    registered = [s.id for s in sources.all_sources()]
    for source in registered + sorted(stored - set(registered)):
        if source not in stored:
            continue
        run = ImportRun.objects.filter(source=source).order_by("-started", "-pk").first()
        if run is not None:
            warnings += [f"{source}: {w}" for w in run.warnings or []]
    return warnings


def document(apps=None, language: str = "en") -> dict:
    from django.db.models import Prefetch

    from vendorvet.web.discovery.importer import risk_order
    from vendorvet.web.discovery.models import Grant

    if apps is None:
        apps = DiscoveredApp.objects.all()
    apps = apps.prefetch_related(Prefetch("grants", queryset=Grant.objects.only(
        "principal", "app_id", "status", "permission_type")))
    return {"apps": [app_document(a, list(a.grants.all()), language) for a in sorted(apps, key=risk_order)],
            "warnings": latest_warnings()}
