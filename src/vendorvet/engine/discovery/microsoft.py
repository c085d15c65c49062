"""Microsoft Entra ID: servicePrincipals, oauth2PermissionGrants and appRoleAssignments/appRoleAssignedTo
as Microsoft Graph returns them (``value`` arrays, ``@odata.nextLink`` pages), files in any order.

Source: github.com/microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/resources/
(serviceprincipal.md, oauth2permissiongrant.md, approleassignment.md).

Microsoft Graph PowerShell output is read as well: ``Get-MgServicePrincipal | ConvertTo-Json`` writes bare
arrays of objects with PascalCase properties (``AppId``, ``DisplayName``, ``ConsentType``, ``Scope``,
``PrincipalId`` …), dates as ``/Date(1700000000000)/`` (Windows PowerShell 5.1) and, with ``Out-File``,
UTF-16 text; property names are read case-insensitively as Graph's camelCase. Microsoft's own first-party
service principals (owner tenants in ``MICROSOFT_TENANTS``) are never listed as discovered apps, however
they are referenced — grants, app-role assignments of either direction, user assignments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.files import DEFAULT_MAX_BYTES, decode_guard, open_text
from vendorvet.engine.discovery.jsonstream import JsonStream
from vendorvet.engine.discovery.model import ALL_USERS, Coverage, DiscoveryResult

PLATFORM = "microsoft"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
# Tenants that own Microsoft's first-party service principals (Microsoft Services, Microsoft Corp.).
MICROSOFT_TENANTS = {"f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72f988bf-86f1-41af-91ab-2d7cd011db47"}


# "$metadata#servicePrincipals('<object id>')/appRoleAssignedTo" (and /appRoleAssignments, /oauth2PermissionGrants)
_TARGET = re.compile(r"#serviceprincipals\('([^']+)'\)/(approleassignedto|approleassignments|oauth2permissiongrants)",
                     re.I)
_TENANT_LISTING = re.compile(r"#(serviceprincipals|oauth2permissiongrants)(\([^')]*\))?$", re.I)


@dataclass
class _Page:
    """One page of a Graph listing (or all bare records of a file): what it holds, for snapshot coverage."""

    meta: dict
    file: str
    kinds: set = field(default_factory=set)
    resources: dict = field(default_factory=dict)  # resourceId -> resourceDisplayName of assignment records


@dataclass
class _SP:
    object_id: str
    app_id: str
    name: str
    publisher: str
    verified: bool
    owner: str
    audience: str
    reply_urls: list[str]
    sp_type: str
    app_roles: dict[str, str] = field(default_factory=dict)

    @property
    def first_party(self) -> bool:
        return self.owner in MICROSOFT_TENANTS or self.app_id == GRAPH_APP_ID


def _camel(value, depth: int = 0):
    """PowerShell's PascalCase property names as Graph's camelCase (``AppId`` -> ``appId``), nested too;
    ``AdditionalProperties`` (the SDK's bag of unmapped properties) is merged into its object."""
    if isinstance(value, list) and depth < 4:
        return [_camel(v, depth + 1) for v in value]
    if not isinstance(value, dict) or depth >= 4:
        return value
    out = {}
    extra = value.get("AdditionalProperties")
    for key, item in (extra.items() if isinstance(extra, dict) else ()):
        if isinstance(key, str) and not key.startswith("@"):
            out[key[:1].lower() + key[1:]] = item
    for key, item in value.items():
        if key == "AdditionalProperties":
            continue
        name = key[:1].lower() + key[1:] if isinstance(key, str) and key[:1].isupper() else key
        out[name] = _camel(item, depth + 1)
    return out


_PS_DATE = re.compile(r"^/Date\((-?\d{1,15})(?:[+-]\d{4})?\)/$")


def _timestamp(value) -> str | None:
    """An ISO UTC timestamp of Graph (``2024-03-01T09:30:00Z``, with or without fraction) or PowerShell
    (``/Date(ms)/``), as ``YYYY-MM-DDTHH:MM:SSZ``; None if neither."""
    text = str(value or "").strip()
    m = _PS_DATE.match(text)
    if m:
        import datetime as dt

        from vendorvet.engine.discovery.model import iso

        try:
            return iso(dt.datetime.fromtimestamp(int(m.group(1)) / 1000, tz=dt.timezone.utc))
        except (OverflowError, OSError, ValueError):
            return None
    return text[:19] + "Z" if len(text) >= 19 and text[10] == "T" else None


def _kind(item: dict, context: str) -> str | None:
    ctx = context.lower()
    if "oauth2permissiongrants" in ctx or "consentType" in item:
        return "grant"
    if "approleassign" in ctx or "appRoleId" in item:
        return "assignment"
    if "serviceprincipals" in ctx or "servicePrincipalType" in item or ("appId" in item and "displayName" in item):
        return "sp"
    return None


def _sp(item: dict) -> _SP:
    verified = item.get("verifiedPublisher") or {}
    roles = {}
    for role in item.get("appRoles") or ():
        if isinstance(role, dict) and role.get("id") and role.get("value"):
            roles[str(role["id"])] = str(role["value"])
    urls = [u for u in (item.get("replyUrls") or ()) if isinstance(u, str)][:100]
    return _SP(
        object_id=str(item.get("id") or ""), app_id=str(item.get("appId") or ""),
        name=str(item.get("displayName") or "")[:200], publisher=str(item.get("publisherName") or "")[:200],
        verified=bool(isinstance(verified, dict) and verified.get("verifiedPublisherId")),
        owner=str(item.get("appOwnerOrganizationId") or "").lower(),
        audience=str(item.get("signInAudience") or ""), reply_urls=urls,
        sp_type=str(item.get("servicePrincipalType") or ""), app_roles=roles,
    )


@decode_guard
def _read(path, label: str, max_bytes: int, result: DiscoveryResult, sps: dict, grants: list, assignments: list,
          pages: dict):
    with open_text(path, max_bytes=max_bytes, expected="a Microsoft Graph JSON export", name=label,
                   record=result.file_info) as fh:
        stream = JsonStream(fh, label, keep_pages=True)
        for n, (item, meta) in enumerate(stream):
            where = f"{label} record {n + 1}"
            page_key = id(meta) if meta else ("bare", label)
            page = pages.get(page_key)
            if page is None:
                page = pages[page_key] = _Page(meta if meta else {}, label)
            if not isinstance(item, dict):
                result.skip(f"{where}: not a JSON object")
                continue
            if any(isinstance(k, str) and k[:1].isupper() for k in item):  # PowerShell (ConvertTo-Json)
                item = _camel(item)
            if "error" in item and isinstance(item["error"], dict):
                raise DiscoveryInputError(f"the file holds a Graph error response: "
                                          f"{item['error'].get('code')}: {item['error'].get('message')}", file=label)
            result.records += 1
            kind = _kind(item, str(meta.get("@odata.context") or item.get("@odata.context") or ""))
            if kind:
                page.kinds.add(kind)
            if kind == "sp":
                sp = _sp(item)
                if not sp.object_id or not sp.app_id:
                    result.skip(f"{where}: service principal without id or appId")
                    continue
                sps[sp.object_id] = sp
            elif kind == "grant":
                if not item.get("clientId") or not item.get("resourceId"):
                    result.skip(f"{where}: permission grant without clientId or resourceId")
                    continue
                grants.append((str(item["clientId"]), str(item.get("consentType") or ""),
                               str(item.get("principalId") or ""), str(item["resourceId"]),
                               str(item.get("scope") or "")))
            elif kind == "assignment":
                if not item.get("principalId") or not item.get("resourceId"):
                    result.skip(f"{where}: app role assignment without principalId or resourceId")
                    continue
                page.resources[str(item["resourceId"])] = str(item.get("resourceDisplayName") or "")
                assignments.append((str(item["principalId"]), str(item.get("principalType") or ""),
                                    str(item["resourceId"]), str(item.get("appRoleId") or ""),
                                    _timestamp(item.get("creationTimestamp")) or "",
                                    str(item.get("principalDisplayName") or ""),
                                    str(item.get("resourceDisplayName") or "")))
            else:
                if n == 0 and not meta:
                    raise DiscoveryInputError("not a Microsoft Graph export of servicePrincipals, "
                                              "oauth2PermissionGrants or appRoleAssignments", file=label)
                result.skip(f"{where}: not a service principal, permission grant or app role assignment")
        for meta in stream.page_metas:  # pages with an empty value array list "nothing" — also a snapshot
            if id(meta) not in pages:
                pages[id(meta)] = _Page(meta, label)


def _first_party(sps: dict[str, _SP], object_id: str) -> bool:
    sp = sps.get(object_id)
    return sp is not None and sp.first_party


def _app_for(result: DiscoveryResult, sps: dict[str, _SP], object_id: str, fallback_name: str = ""):
    """The app of a service principal (created in ``result``); callers skip first-party ones *before* this,
    so that a Microsoft app referenced only by a grant or assignment never becomes a discovered app."""
    sp = sps.get(object_id)
    if sp is None:
        app = result.app(PLATFORM, f"sp:{object_id}")
        app.name = app.name or fallback_name or object_id
        app.extra["unresolved"] = True
        return app, None
    app = result.app(PLATFORM, sp.app_id)
    if not app.name:
        app.name = sp.name
        app.publisher = sp.publisher
        app.verified_publisher = sp.verified
        app.owner_organization = sp.owner
        app.sign_in_audience = sp.audience
        app.reply_urls = sp.reply_urls
        app.extra["object_id"] = sp.object_id
    return app, sp


def _resource_name(sps: dict[str, _SP], resource_id: str, fallback: str = "") -> str:
    sp = sps.get(resource_id)
    if sp is None:
        return fallback or resource_id
    return "Microsoft Graph" if sp.app_id == GRAPH_APP_ID else sp.name


def _app_id(sps: dict[str, _SP], object_id: str) -> str:
    sp = sps.get(object_id)
    return sp.app_id if sp is not None else f"sp:{object_id}"


LISTING_NAMES = {"sp": "servicePrincipals", "grant": "oauth2PermissionGrants", "assignment": "appRoleAssignedTo"}


def _coverage(pages: dict, sps: dict[str, _SP], result: DiscoveryResult) -> Coverage:
    """What this import lists completely. A listing counts only with its last page (no ``@odata.nextLink``);
    listings of one user's or group's grants are never a snapshot of the tenant."""
    listings: dict[tuple, dict] = {}
    for page in pages.values():
        context = str(page.meta.get("@odata.context") or "")
        if "$entity" in context:  # a single object, not a listing
            continue
        kinds = ({_kind({}, context)} - {None} or set(page.kinds)) if context else set(page.kinds)
        target = _TARGET.search(context)
        for kind in kinds:
            if target:
                key = (kind, target.group(2).lower(), target.group(1))
            elif not context or _TENANT_LISTING.search(context.split("?")[0]):
                key = (kind, "", "")
            else:
                continue  # e.g. users('…')/appRoleAssignments: one principal's view, not the tenant's
            entry = listings.setdefault(key, {"complete": False, "resources": {}, "files": set()})
            entry["complete"] |= "@odata.nextLink" not in page.meta
            entry["resources"].update(page.resources)
            entry["files"].add(page.file)
    cov = Coverage()
    for (kind, relation, object_id), entry in sorted(listings.items(), key=lambda kv: kv[0]):
        if not entry["complete"]:
            what = LISTING_NAMES[kind] + (f" of {object_id}" if object_id else "")
            cov.incomplete.append(what)
            result.warn(f"the {what} listing in {', '.join(sorted(entry['files']))} lacks its last page "
                        "(every page has @odata.nextLink); what it does not list is not treated as revoked")
            continue
        if kind == "sp" and not relation:
            cov.service_principals = True
        elif kind == "grant":
            if relation:
                cov.delegated_clients.add(_app_id(sps, object_id))
            else:
                cov.delegated_all = True
        elif kind == "assignment":
            if relation == "approleassignments":
                cov.application_clients.add(_app_id(sps, object_id))
                continue
            resources = {object_id: entry["resources"].get(object_id, "")} if relation == "approleassignedto" \
                else entry["resources"]
            for resource_id, name in resources.items():
                cov.application_resources.add(_resource_name(sps, resource_id, name))
                cov.assignment_apps.add(_app_id(sps, resource_id))
    return cov


def parse_entra(paths: list, *, names=None, max_bytes: int = DEFAULT_MAX_BYTES) -> DiscoveryResult:
    result = DiscoveryResult(source="entra")
    sps: dict[str, _SP] = {}
    grants: list[tuple] = []
    assignments: list[tuple] = []
    pages: dict = {}
    for i, path in enumerate(paths):
        label = names[i] if names else str(path)
        result.files.append(label)
        _read(path, label, max_bytes, result, sps, grants, assignments, pages)
    result.coverage = _coverage(pages, sps, result)

    missing: set[str] = set()
    for client_id, consent, principal, resource_id, scope in grants:
        if client_id not in sps:
            missing.add(client_id)
        if _first_party(sps, client_id):
            continue
        app, sp = _app_for(result, sps, client_id)
        resource = _resource_name(sps, resource_id)
        user = ALL_USERS if consent == "AllPrincipals" or not principal else principal
        grant = app.grant(user, "delegated")
        grant.listed = True
        grant.events += 1
        for permission in scope.split():
            grant.scopes[permission] = resource
    for principal, principal_type, resource_id, role_id, created, p_name, r_name in assignments:
        created_iso = created or None
        if principal_type and principal_type != "ServicePrincipal":
            # a user or group assigned to the app (resource): they use it
            if _first_party(sps, resource_id):
                continue
            app, sp = _app_for(result, sps, resource_id, r_name)
            grant = app.grant(f"{principal_type.lower()}:{p_name or principal}", "assignment")
            grant.listed = True
            grant.seen(created_iso)
            app.seen(created_iso)
            continue
        if principal not in sps:
            missing.add(principal)
        if _first_party(sps, principal):
            continue
        app, sp = _app_for(result, sps, principal, p_name)
        resource_sp = sps.get(resource_id)
        permission = resource_sp.app_roles.get(role_id) if resource_sp else None
        if permission is None:
            permission = f"appRole:{role_id}"
            result.warn(f"app role {role_id} of resource {r_name or resource_id} could not be resolved "
                        "(export the resource's service principal with its appRoles)")
        grant = app.grant(ALL_USERS, "application")
        grant.listed = True
        grant.seen(created_iso)
        app.seen(created_iso)
        grant.scopes[permission] = _resource_name(sps, resource_id, r_name)
    for sp in sps.values():  # third-party enterprise apps without any permission still count as in use
        if sp.first_party or sp.sp_type in ("ManagedIdentity", "SocialIdp"):
            continue
        _app_for(result, sps, sp.object_id)
    if missing:
        result.warn(f"{len(missing)} client service principal(s) referenced by grants are not in the export; "
                    "export /servicePrincipals too so names, publishers and reply URLs are known")
    return result
