"""Merging a parsed discovery import into the tenant's discovery data — one transaction per import.

Parsing happens first and completely (engine, no database): input that cannot be used raises before
anything is written. The merge then creates or updates DiscoveredApp and Grant rows. A discovered app is a
*proposal*: it stays outside the inventory (no integration, so outside the register, tiers, lists and
monitoring) until a person accepts it (:mod:`vendorvet.web.discovery.proposals`). Only an app that matches an
integration already in the inventory is linked to it at once; the import never creates an integration and
never changes a person's fields of an existing one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from django.db import transaction
from django.utils import timezone

from vendorvet.engine.discovery import catalogue, scopes as scope_rating
from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.microsoft import MICROSOFT_TENANTS
from vendorvet.engine.discovery.model import ALL_USERS, AppObservation, DiscoveryResult
from vendorvet.engine.discovery.registry import parse_with
from vendorvet.web.accounts import roles
from vendorvet.web.core.bulk import insert_many
from vendorvet.web.core.context import require_actor, require_tenant
from vendorvet.web.discovery import sources
from vendorvet.web.discovery.adoption import adopt_name_records
from vendorvet.web.discovery.models import AppStatus, DiscoveredApp, Grant, ImportRun, ReviewState
from vendorvet.web.discovery.report import ImportReport
from vendorvet.web.discovery.revocations import note_grant, revoke_unlisted
from vendorvet.web.inventory import services
from vendorvet.web.inventory.models import Integration

BULK = 2000


def _dt(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _min(a, b):
    return b if a is None or (b is not None and b < a) else a


def _max(a, b):
    return b if a is None or (b is not None and b > a) else a


def fingerprint(path) -> dict:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def run_import(source: str, paths: list, *, names: list[str] | None = None,
               max_bytes: int | None = None) -> ImportReport:
    """Parse ``paths`` as ``source`` (a registered discovery source's id) and merge them into the active
    tenant. Raises DiscoveryInputError (nothing stored) for an unknown source or unusable input; needs the
    *import* permission."""
    roles.require(roles.IMPORT)
    require_tenant()
    spec = sources.require(source)
    started = timezone.now()
    labels = names or [os.path.basename(str(p)) for p in paths]
    for path, label in zip(paths, labels):
        if not os.path.isfile(path):
            raise DiscoveryInputError("no such file", file=label)
    result = parse_with(spec, paths, names=labels, max_bytes=max_bytes)
    # size and SHA-256 were taken while parsing (one pass over each file)
    files = list(result.file_info) if len(result.file_info) == len(paths) else \
        [{"name": label, **fingerprint(path)} for path, label in zip(paths, labels)]
    earlier = _known_hashes(source)
    repeated = [f["name"] for f in files if f["sha256"] in earlier]
    with transaction.atomic():
        run = ImportRun(source=source, files=files, started=started, actor_label=require_actor().label[:150],
                        records=result.records, skipped=result.skipped,
                        aliases={k[:300]: v[:300] for k, v in list(result.aliases.items())[:100_000]})
        run.save()
        report = ImportReport(run=run, result=result, repeated_files=repeated)
        _merge(report, count_traffic=not repeated)
        warnings = list(result.warnings) + report.notes
        if repeated:
            warnings.insert(0, f"already imported before: {', '.join(repeated)} (request counts not added again)")
        run.warnings = warnings
        run.revoked = {"apps": [{"id": a.pk, "name": a.name} for a in sorted(report.revoked_apps, key=risk_order)],
                       "grants": report.revoked_grants, "grants_total": run.revocations}
        run.apps_seen = len(result.apps)
        run.apps_new = len(report.new_apps)
        run.finished = timezone.now()
        run.save()
    return report


def _known_hashes(source: str) -> set[str]:
    hashes = set()
    for files in ImportRun.objects.filter(source=source).values_list("files", flat=True):
        for f in files or ():
            if isinstance(f, dict) and f.get("sha256"):
                hashes.add(f["sha256"])
    return hashes


def _merge(report: ImportReport, count_traffic: bool) -> None:
    result, run = report.result, report.run
    tenant = require_tenant()
    now = run.started
    existing = {}
    _resolve_known_service_principals(result)
    report.notes = adopt_name_records(result)  # Google apps first imported without a client ID
    platforms = {key[0] for key in result.apps}
    for app in DiscoveredApp.objects.filter(platform__in=platforms).select_related("integration"):
        existing[(app.platform, app.client_id)] = app
    apps: list[tuple[DiscoveredApp, AppObservation | None]] = []
    before: dict[int, str] = {}
    for key, obs in result.apps.items():
        app = existing.get(key)
        if app is None:
            app = DiscoveredApp(tenant=tenant, platform=obs.platform, client_id=obs.client_id[:300],
                                name=(obs.name or obs.client_id)[:200], first_import=run)
            report.new_apps.append(app)
        else:
            report.updated_apps.append(app)
        _update_app_fields(app, obs, result.source, now, count_traffic)
        app.last_import = run
        app.save()
        before[app.pk] = app.status
        apps.append((app, obs))
    aliases = _aliases(result)
    if aliases:
        _fold_aliased_grants(apps, aliases)
    _merge_grants(report, apps, now)
    for app, was in revoke_unlisted(report, now):  # snapshot sources: what is no longer listed was revoked
        before[app.pk] = was
        apps.append((app, None))
    integrations = set()
    new = {a.pk for a in report.new_apps}
    for app, obs in apps:
        was = before.get(app.pk)
        if not _assess(app) and obs is not None and obs.platform == "microsoft":
            app.status = AppStatus.NO_GRANTS  # listed as a service principal, holding no grant: present, not active
        if was == AppStatus.ACTIVE and app.status == AppStatus.REVOKED and app.pk not in new:
            report.revoked_apps.append(app)
        if app.integration_id is None and obs is not None and app.review_state != ReviewState.REJECTED:
            _link_existing(app)
        app.save()
        if app.integration_id:
            integrations.add(app.integration_id)
    update_granted_access(integrations)


def _aliases(result: DiscoveryResult) -> dict[str, str]:
    """Other names of users (Google: profile id -> e-mail): this import's and every earlier Google import's."""
    if not any(key[0] == "google" for key in result.apps):
        return {}
    known: dict[str, str] = {}
    for stored in ImportRun.objects.exclude(aliases={}).values_list("aliases", flat=True):
        if isinstance(stored, dict):
            known.update({str(k): str(v) for k, v in stored.items()})
    known.update(result.aliases)
    return known


def _fold_aliased_grants(apps: list, aliases: dict[str, str]) -> None:
    """A user named by profile id in this import or in a stored grant is the user of that e-mail: one grant."""
    from vendorvet.engine.discovery.google import fold_grant

    for _app, obs in apps:
        if obs is None or obs.platform != "google":
            continue
        for (user, ptype) in [k for k in obs.grants if k[0] in aliases]:
            fold_grant(obs, obs.grants.pop((user, ptype)), aliases[user], ptype)
    ids = {app.pk for app, obs in apps if obs is not None and obs.platform == "google"}
    names = list(aliases)
    stored = [g for i in range(0, len(names), 500)  # bounded query parameters (SQLite's limit)
              for g in Grant.objects.filter(principal__in=names[i:i + 500], app__platform="google")
              if g.app_id in ids]
    for g in stored:
        target = Grant.objects.filter(app_id=g.app_id, principal=aliases[g.principal][:300],
                                      permission_type=g.permission_type).first()
        if target is None:
            g.principal = aliases[g.principal][:300]
            g.save(update_fields=["principal"])
            continue
        target.scopes = {**(g.scopes or {}), **(target.scopes or {})}
        target.revoked_scopes = {**(g.revoked_scopes or {}), **(target.revoked_scopes or {})}
        target.first_seen = _min(target.first_seen, g.first_seen)
        target.last_seen = _max(target.last_seen, g.last_seen)
        target.last_authorized = _max(target.last_authorized, g.last_authorized)
        target.last_revoked = _max(target.last_revoked, g.last_revoked)
        target.last_listed = _max(target.last_listed, g.last_listed)
        target.events += g.events
        if g.status == AppStatus.ACTIVE:
            target.status = AppStatus.ACTIVE
        target.save()
        g.delete()


def update_granted_access(integration_ids) -> int:
    """Set each integration's tier factor from the scopes its discovered apps hold now; returns how many
    integrations changed (their tier and history follow)."""
    changed = 0
    ids = sorted(integration_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        rows: dict[int, list] = {pk: [] for pk in chunk}
        publishers: dict[int, set] = {pk: set() for pk in chunk}
        for integration_id, scopes, verified in DiscoveredApp.objects.filter(
                integration_id__in=chunk, status=AppStatus.ACTIVE).exclude(review_state=ReviewState.REJECTED
                                                                          ).values_list("integration_id", "scopes",
                                                                                        "verified_publisher"):
            rows[integration_id].extend(scopes or [])
            if scopes and verified is not None:
                publishers[integration_id].add("verified" if verified else "unverified")
        for integration in Integration.objects.filter(pk__in=chunk).order_by("pk"):
            granted = scope_rating.granted_access(rows[integration.pk])
            found = publishers[integration.pk]
            publisher = "unverified" if "unverified" in found else "verified" if found else ""
            changed += services.set_granted_access(integration, granted.risk, granted.access, granted.scopes,
                                                   publisher)
    return changed


def _resolve_known_service_principals(result: DiscoveryResult) -> None:
    """An Entra export without /servicePrincipals names client apps by their service principal's object ID
    (``sp:<object id>``); map those to the apps an earlier import knew, so grants land on the same app."""
    unresolved = {k[1][3:]: k for k in result.apps if k[0] == "microsoft" and k[1].startswith("sp:")}
    if not unresolved:
        return
    known = dict(DiscoveredApp.objects.filter(platform="microsoft", object_id__in=list(unresolved))
                 .values_list("object_id", "client_id"))
    renamed = {}
    for object_id, client_id in known.items():
        key, target = unresolved[object_id], ("microsoft", client_id)
        obs = result.apps.pop(key)
        if target in result.apps:  # pragma: no cover — the SP itself was in the import, so it was resolved
            continue
        obs.client_id, obs.name = client_id, ""
        obs.extra.pop("unresolved", None)
        obs.extra["object_id"] = object_id
        result.apps[target] = obs
        renamed[key[1]] = client_id
    cov = result.coverage
    if cov is not None and renamed:
        for ids in (cov.delegated_clients, cov.application_clients, cov.assignment_apps):
            for old in ids & set(renamed):
                ids.discard(old)
                ids.add(renamed[old])


def _update_app_fields(app: DiscoveredApp, obs: AppObservation, source: str, now, count_traffic: bool) -> None:
    if obs.name and (not app.name or app.name == app.client_id or obs.platform == "microsoft"):
        app.name = obs.name[:200]
    for attr in ("publisher", "owner_organization", "sign_in_audience", "client_type"):
        value = getattr(obs, attr)
        if value:
            setattr(app, attr, value[:200])
    if obs.verified_publisher is not None:
        app.verified_publisher = obs.verified_publisher
    if obs.reply_urls:
        app.reply_urls = obs.reply_urls
    if obs.extra.get("object_id") and not obs.extra.get("unresolved"):
        app.object_id = str(obs.extra["object_id"])[:100]
    app.sources = sorted(set(app.sources or []) | {source})
    if obs.extra.get("admin_apis"):
        app.admin_apis = sorted(set(app.admin_apis or []) | set(obs.extra["admin_apis"]))[:50]
    entry = catalogue.get(obs.catalogue_key) if obs.catalogue_key else None
    if entry is None and not app.catalogue_key:
        entry = next((e for e in map(catalogue.match_url, obs.reply_urls) if e), None) or \
            catalogue.match_name(obs.name) or (catalogue.match_name(obs.publisher) if obs.publisher else None)
    if entry is not None:
        app.catalogue_key, app.category, app.country = entry.key, entry.category, entry.country
    first, last = _dt(obs.first_seen), _dt(obs.last_seen)
    if first is None and obs.grants:  # listings without timestamps (Directory API, Entra grants): seen now
        first = last = now
    app.first_seen = _min(app.first_seen, first)
    app.last_seen = _max(app.last_seen, last)
    if count_traffic:
        app.hits += obs.hits
        app.bytes += obs.bytes
    if obs.clients:
        app.users_count = max(app.users_count, len(obs.clients))


def _merge_grants(report: ImportReport, apps: list, now) -> None:
    tenant = require_tenant()
    by_app = {app.pk: app for app, _obs in apps}
    current: dict[tuple[int, str, str], Grant] = {}
    ids = list(by_app)
    for i in range(0, len(ids), 500):
        for g in Grant.objects.filter(app_id__in=ids[i:i + 500]).iterator(chunk_size=BULK):
            current[(g.app_id, g.principal, g.permission_type)] = g
    new, changed = [], []
    for app, obs in apps:
        for (principal, ptype), ug in obs.grants.items():
            key = (app.pk, principal[:300], ptype)
            g = current.get(key)
            was_revoked = g is not None and g.status == AppStatus.REVOKED
            if g is None:
                g = Grant(tenant=tenant, app=app, principal=principal[:300], permission_type=ptype, scopes={})
                new.append(g)
            else:
                changed.append(g)
            merged = dict(g.scopes or {})
            for scope, resource in ug.scopes.items():
                if resource or scope not in merged:
                    merged[scope] = resource
            g.scopes = merged
            if g.revoked_scopes and ug.listed:  # a scope that is listed again is granted again
                g.revoked_scopes = {s: v for s, v in g.revoked_scopes.items() if s not in ug.scopes}
            first, last = _dt(ug.first_seen), _dt(ug.last_seen)
            if ug.listed:
                g.last_listed = now
                first, last = _min(first, now), _max(last, now)
            g.first_seen = _min(g.first_seen, first)
            g.last_seen = _max(g.last_seen, last)
            g.last_authorized = _max(g.last_authorized, _dt(ug.last_authorized))
            g.last_revoked = _max(g.last_revoked, _dt(ug.last_revoked))
            g.events += ug.events
            alive = _max(g.last_authorized, g.last_listed)
            revoked = g.last_revoked is not None and (alive is None or g.last_revoked >= alive)
            g.status = AppStatus.REVOKED if revoked else AppStatus.ACTIVE
            if revoked and not was_revoked:
                note_grant(report, app, g, g.scopes.keys(), True, g.last_revoked)
    insert_many(Grant, new)  # 40,000 grants: the ORM's bulk_create spent most of the merge preparing values
    fields = ["scopes", "revoked_scopes", "status", "first_seen", "last_seen", "last_authorized", "last_revoked",
              "last_listed", "events", "last_updated"]
    stamp = timezone.now()
    for g in changed:
        g.last_updated = stamp
    for i in range(0, len(changed), BULK):
        Grant.objects.bulk_update(changed[i:i + BULK], fields)
    report.run.grants_new = len(new)


def _assess(app: DiscoveredApp) -> int:
    """Rate the app from its stored grants; returns how many grant rows it has."""
    rows = list(Grant.objects.filter(app=app).values_list("principal", "permission_type", "scopes", "status"))
    # identical grants (same scopes, type, consent) are rated once
    distinct: dict[tuple, scope_rating.GrantInput] = {}
    for principal, ptype, scopes, status in rows:
        if not scopes and ptype == "assignment":
            continue
        tenant_wide = principal == ALL_USERS and ptype == "delegated"
        key = (ptype, tenant_wide, status == AppStatus.ACTIVE, tuple(sorted((scopes or {}).items())))
        if key not in distinct:
            distinct[key] = scope_rating.GrantInput(scopes or {}, ptype if ptype != "assignment" else "delegated",
                                                    tenant_wide, status == AppStatus.ACTIVE)
    active_users = {p for p, _t, _s, status in rows if status == AppStatus.ACTIVE and p != ALL_USERS}
    if rows:
        any_active = any(r[3] == AppStatus.ACTIVE for r in rows)
        app.status = AppStatus.ACTIVE if any_active else AppStatus.REVOKED
        # a revoked app keeps who had it as history (its grants and their scopes stay, marked revoked)
        app.users_count = len(active_users) if any_active else len({p for p, *_r in rows if p != ALL_USERS})
    verdict = scope_rating.assess(
        app.platform, distinct.values(), verified_publisher=app.verified_publisher, reply_urls=app.reply_urls or (),
        users=app.users_count, required_scopes=app.required_scopes, category=app.category,
        first_party=app.owner_organization in MICROSOFT_TENANTS, admin_apis=app.admin_apis or ())
    app.risk, app.risk_reasons, app.flags = verdict.risk, verdict.reasons, verdict.flags
    app.scopes = [s.as_dict() for s in verdict.scopes]
    app.excess_scopes = verdict.excess_scopes
    return len(rows)


def reassess(app: DiscoveredApp) -> DiscoveredApp:
    """Recompute risk after a person changed the required scopes."""
    roles.require(roles.CHANGE)
    _assess(app)
    app.save()
    return app


def _link_existing(app: DiscoveredApp) -> None:
    """Link the app to the inventory entry it evidently is (the same service found through another source, or
    one integration of that name); nothing is created — an app without a match stays a proposal."""
    entry = catalogue.get(app.catalogue_key) if app.catalogue_key else None
    integration = None
    if entry is not None:  # the same service found through another source
        sibling = DiscoveredApp.objects.filter(catalogue_key=entry.key, integration__isnull=False).exclude(
            pk=app.pk).select_related("integration").first()
        integration = sibling.integration if sibling else None
        if integration is None:
            integration = Integration.objects.filter(vendor__name__iexact=entry.company,
                                                     name__iexact=entry.name).first()
    if integration is None and not app.unnamed:
        names = {app.name.lower()} | ({entry.name.lower()} if entry else set())
        candidates = [i for i in Integration.objects.filter(name__iexact=app.name)[:2]]
        if entry is not None and not candidates:
            candidates = list(Integration.objects.filter(name__iexact=entry.name)[:2])
        if len(candidates) == 1 and candidates[0].name.lower() in names:
            integration = candidates[0]
    if integration is not None:
        app.integration = integration
        if app.review_state == ReviewState.PENDING:
            app.review_state = ReviewState.ACCEPTED
            app.review_reason = "matched an existing inventory entry"
            app.reviewed_by = "vendorvet"
            app.reviewed_at = timezone.now()


def new_apps_since_last_import(source: str | None = None) -> tuple[ImportRun | None, list[DiscoveredApp]]:
    """The latest import (of ``source``, or of any source) and the apps it found for the first time."""
    runs = ImportRun.objects.all()
    if source:
        runs = runs.filter(source=source)
    run = runs.order_by("-started", "-pk").first()
    if run is None:
        return None, []
    apps = DiscoveredApp.objects.filter(first_import=run).select_related("integration")
    return run, sorted(apps, key=risk_order)


def revoked_since_last_import(source: str | None = None) -> tuple[ImportRun | None, dict]:
    """The latest import and what it found revoked: ``{"apps": [DiscoveredApp], "grants": [...]}``."""
    runs = ImportRun.objects.all()
    if source:
        runs = runs.filter(source=source)
    run = runs.order_by("-started", "-pk").first()
    if run is None:
        return None, {"apps": [], "grants": [], "grants_total": 0}
    revoked = run.revoked or {}
    ids = [a["id"] for a in revoked.get("apps", [])]
    apps = sorted(DiscoveredApp.objects.filter(pk__in=ids).select_related("integration"), key=risk_order)
    return run, {"apps": apps, "grants": list(revoked.get("grants", [])),
                 "grants_total": int(revoked.get("grants_total", 0))}


def risk_order(app: DiscoveredApp):
    return (-scope_rating.RANK.get(app.risk, 0), app.name.lower())
