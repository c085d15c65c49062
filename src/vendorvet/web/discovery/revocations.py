"""Entra exports are snapshots: a grant, a scope of a grant, or a whole service principal that an earlier
import found, that lies inside a part the new import lists completely (``engine.discovery.model.Coverage``),
and that the new import does not list, was revoked — noticed at the time of the import.

Only the object types an import contains are covered: a file of servicePrincipals alone revokes no grant
(but an app whose service principal is gone loses its grants with it, as in Entra), a listing whose last page
is missing covers nothing. Re-importing the same snapshot changes nothing; what comes back is active again
(the merge marks it listed).
"""

from __future__ import annotations

from collections import defaultdict

from vendorvet.engine.discovery.model import Coverage
from vendorvet.web.discovery.models import AppStatus, DiscoveredApp, Grant
from vendorvet.web.discovery.report import ImportReport

MAX_LISTED = 500
PLATFORM = "microsoft"


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def note_grant(report: ImportReport, app: DiscoveredApp, grant: Grant, scopes, whole: bool, when) -> None:
    """Count a revocation this import found, and list it (the first ``MAX_LISTED``) in the import report."""
    report.run.revocations += 1
    if len(report.revoked_grants) < MAX_LISTED:
        report.revoked_grants.append({
            "app_id": app.pk, "app": app.name, "principal": grant.principal, "type": grant.permission_type,
            "scopes": sorted(scopes), "whole": whole, "revoked": _iso(when)})


def _covered(cov: Coverage, client_id: str, grant: Grant, sp_gone: bool):
    """(whole grant covered?, predicate telling whether a scope with its resource is covered)."""
    if sp_gone:
        return True, lambda resource: True
    ptype = grant.permission_type
    if ptype == "delegated":
        whole = cov.delegated_all or client_id in cov.delegated_clients
    elif ptype == "application":
        whole = client_id in cov.application_clients
        if not whole:
            resources = cov.application_resources
            return False, lambda resource: resource in resources
    else:  # a user or group assigned to the app
        whole = client_id in cov.assignment_apps
    return whole, lambda resource: whole


def revoke_unlisted(report: ImportReport, now) -> list[tuple[DiscoveredApp, str]]:
    """Mark grants and scopes the snapshot no longer lists as revoked. Returns the apps to reassess that the
    import did not list itself (their service principal is gone, or their grants are), each with its status
    before."""
    cov = report.result.coverage
    if not cov:
        return []
    observed = report.result.apps
    active: dict[int, list[Grant]] = defaultdict(list)
    for g in Grant.objects.filter(app__platform=PLATFORM, status=AppStatus.ACTIVE).iterator(chunk_size=2000):
        active[g.app_id].append(g)
    changed: list[Grant] = []
    touched: list[tuple[DiscoveredApp, str]] = []
    candidates = DiscoveredApp.objects.filter(platform=PLATFORM)
    if not cov.service_principals:
        candidates = candidates.filter(pk__in=list(active))
    for app in candidates.select_related("integration"):
        obs = observed.get((PLATFORM, app.client_id))
        sp_gone = cov.service_principals and obs is None and not app.client_id.startswith("sp:")
        app_changed, status_before = False, app.status
        listing = {(p[:300], t): ug for (p, t), ug in obs.grants.items()} if obs is not None else {}
        for g in active.get(app.pk, ()):
            whole, covers = _covered(cov, app.client_id, g, sp_gone)
            current = listing.get((g.principal, g.permission_type))
            listed = current.scopes if current is not None else {}
            gone = {s: r for s, r in (g.scopes or {}).items() if s not in listed and covers(r)}
            if current is None and (whole or (g.scopes and len(gone) == len(g.scopes))):
                g.status, g.last_revoked = AppStatus.REVOKED, now
                note_grant(report, app, g, (g.scopes or {}).keys(), True, now)
            elif gone:
                scopes = dict(g.scopes)
                revoked = dict(g.revoked_scopes or {})
                for scope, resource in gone.items():
                    scopes.pop(scope)
                    revoked[scope] = {"resource": resource, "revoked": _iso(now)}
                g.scopes, g.revoked_scopes = scopes, revoked
                note_grant(report, app, g, gone, False, now)
            else:
                continue
            g.last_updated = now
            changed.append(g)
            app_changed = True
        if sp_gone and app.status == AppStatus.ACTIVE:
            app.status = AppStatus.REVOKED  # the service principal was deleted: nothing of the app remains
            app_changed = True
        if app_changed and obs is None:
            touched.append((app, status_before))
    Grant.objects.bulk_update(changed, ["scopes", "revoked_scopes", "status", "last_revoked", "last_updated"],
                              batch_size=2000)
    return touched


def history_scopes(app: DiscoveredApp, language: str) -> list[dict]:
    """What a revoked app held, as history: the scopes of its revoked grants and the scopes later snapshots
    no longer listed, rated as they were (the app's current risk counts active grants only). Empty for an app
    that still holds a grant."""
    from vendorvet.engine.discovery import scopes as scope_rating
    from vendorvet.engine.discovery.model import ALL_USERS

    if app.status != AppStatus.REVOKED:
        return []
    best: dict[tuple[str, str], dict] = {}
    for principal, ptype, scopes, revoked_scopes in Grant.objects.filter(app=app).values_list(
            "principal", "permission_type", "scopes", "revoked_scopes"):
        held = dict(scopes or {})
        held.update({s: (r or {}).get("resource", "") for s, r in (revoked_scopes or {}).items()})
        kind = "delegated" if ptype == "assignment" else ptype
        tenant_wide = principal == ALL_USERS and ptype == "delegated"
        for scope, resource in held.items():
            rating = scope_rating.rate(app.platform, scope, kind, tenant_wide, resource or "").as_dict()
            key = (scope, kind)
            if key not in best or scope_rating.RANK[rating["risk"]] > scope_rating.RANK[best[key]["risk"]]:
                best[key] = rating
    rows = sorted(best.values(), key=lambda r: (-scope_rating.RANK[r["risk"]], r["scope"].lower()))
    return [{**r, "reason_text": (r.get("reason") or {}).get(language, "")} for r in rows]
