"""Google Workspace: Reports API token activity (JSON pages or lines, Admin console CSV) and Directory API tokens.

Formats: developers.google.com/admin-sdk/reports/v1/appendix/activity/token,
developers.google.com/admin-sdk/directory/reference/rest/v1/tokens.

Real exports differ from the documentation's examples, and are read as they come:

- a Reports API export may mix the token log with other applications' activities (``id.applicationName``
  ``login``, ``drive`` …): the token events are imported, the others counted and skipped (a file with no token
  activity at all is refused: it is another log);
- ``id.time`` may be RFC 3339 text or epoch milliseconds (number or digits);
- the actor is named by e-mail and numeric profile id; a user another source names by id (Directory API
  ``userKey``) is the same user: ``DiscoveryResult.aliases`` maps id -> e-mail;
- ``activity`` events name the Google API the app called (``api_name``); calls to Admin SDK APIs (``admin``,
  ``directory``, ``reports`` …) are recorded on the app (``extra["admin_apis"]``) and raise its risk.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from vendorvet.engine import csvreader
from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.files import DEFAULT_MAX_BYTES, decode_guard, open_text
from vendorvet.engine.discovery.jsonstream import records
from vendorvet.engine.discovery.model import DiscoveryResult
from vendorvet.engine.discovery.times import parse_time

PLATFORM = "google"
EVENTS = {"authorize", "revoke", "activity"}

CSV_COLUMNS = {
    "event": ("Event", "Event name", "Event Name", "Ereignis", "Ereignisname", "Name des Ereignisses"),
    "description": ("Description", "Event description", "Beschreibung", "Ereignisbeschreibung"),
    "actor": ("Actor", "User", "Actor email", "User email", "Akteur", "Nutzer", "Nutzer-E-Mail", "E-Mail"),
    "app": ("App name", "Application name", "App", "OAuth app name", "App-Name", "Anwendungsname", "Name der App"),
    "client": ("Client ID", "OAuth client ID", "Client-ID", "Client Id", "OAuth-Client-ID", "Application ID",
               "Application (client) ID", "App ID", "Anwendungs-ID", "Anwendungs-ID (Client)", "Client-ID der App"),
    "scope": ("Scope", "Scopes", "OAuth scope", "OAuth scopes", "Bereich", "Bereiche", "Umfang",
              "Berechtigungen", "Scope data"),
    "time": ("Date", "Time", "Timestamp", "Datum", "Zeit", "Zeitstempel", "Uhrzeit"),
    "client_type": ("Client type", "Clienttyp", "Client-Typ"),
}

_EVENT_WORDS = (
    (re.compile(r"^(authori[sz]e|autoris|grant|zugriff gewahrt|berechtig)", re.I), "authorize"),
    (re.compile(r"^(revoke|widerruf|entzog)", re.I), "revoke"),
    (re.compile(r"^(activity|aktivit|api call|api-aufruf)", re.I), "activity"),
)
_DESC_WORDS = (
    (re.compile(r"\brevoked?\b|widerrufen|entzogen", re.I), "revoke"),
    (re.compile(r"\bauthori[sz]ed\b|\bgranted\b|autorisiert|gewährt", re.I), "authorize"),
)
_SCOPE_SPLIT = re.compile(r"[\s,;|]+")
# Admin SDK APIs (developers.google.com/admin-sdk): an app calling them administers the organisation.
ADMIN_APIS = frozenset({"admin", "directory", "reports", "datatransfer", "groupssettings", "licensing", "reseller",
                        "alertcenter", "vault", "admin_sdk", "cloudidentity", "chromemanagement"})


def admin_api(name) -> str | None:
    """The Admin SDK API an ``api_name`` names (``admin``, ``admin.directory``, ``directory_v1`` …), or None."""
    if not isinstance(name, str) or not name:
        return None
    low = name.strip().lower()
    head = re.split(r"[._\s/]", low, maxsplit=1)[0]
    if low in ADMIN_APIS or head in ADMIN_APIS or low.startswith("admin"):
        return low[:60]
    return None


def _epoch(value) -> str | None:
    """Epoch milliseconds (or seconds), as a number or digits, as ISO UTC text."""
    import datetime as dt

    from vendorvet.engine.discovery.model import iso

    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number > 1e11:  # milliseconds (every date after March 1973)
        number /= 1000
    try:
        return iso(dt.datetime.fromtimestamp(number, tz=dt.timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None


def _when(text: Any) -> str | None:
    if not isinstance(text, str) or len(text) < 19:
        return None
    if text.endswith("Z") and text[10] == "T":
        return text[:19] + "Z"
    return parse_time(text)


def _params(event: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in event.get("parameters") or ():
        if not isinstance(p, dict):
            continue
        name = p.get("name")
        if "value" in p:
            out[name] = p["value"]
        elif "multiValue" in p:
            out[name] = p["multiValue"]
        elif "multiMessageValue" in p:
            out[name] = p["multiMessageValue"]
        elif "intValue" in p:
            out[name] = p["intValue"]
        elif "boolValue" in p:
            out[name] = p["boolValue"]
    return out


def _scopes(params: dict[str, Any]) -> list[str]:
    scope = params.get("scope")
    if isinstance(scope, list):
        return [s for s in scope if isinstance(s, str) and s]
    if isinstance(scope, str) and scope:
        return [s for s in _SCOPE_SPLIT.split(scope) if s]
    found = []
    for message in params.get("scope_data") or ():  # multiMessageValue: [{"parameter": [...]}]
        if isinstance(message, dict):
            inner = _params({"parameters": message.get("parameter")})
            name = inner.get("scope_name")
            if isinstance(name, str) and name:
                found.append(name)
    return found


def _apply(result: DiscoveryResult, name: str, client_id: str, app_name: str, user: str, when: str | None,
           scopes: Iterable[str], client_type: str = "") -> None:
    app = result.app(PLATFORM, client_id)
    if app_name and not app.name:
        app.name = app_name
    if client_type and not app.client_type:
        app.client_type = client_type
    app.seen(when)
    grant = app.grant(user or "unknown")
    grant.seen(when)
    if name == "authorize":
        grant.last_authorized = max(grant.last_authorized or "", when or "") or None
        for s in scopes:
            grant.scopes.setdefault(s, "")
    elif name == "revoke":
        grant.last_revoked = max(grant.last_revoked or "", when or "0000") or None
        for s in scopes:
            grant.scopes.setdefault(s, "")
    elif scopes:
        for s in scopes:
            grant.scopes.setdefault(s, "")


def _activity(result: DiscoveryResult, item: Any, where: str) -> None:
    """Fold one Reports API activity into ``result`` (the hot path: kept free of helper calls)."""
    if not isinstance(item, dict):
        result.skip(f"{where}: not an activity object")
        return
    events = item.get("events")
    if not isinstance(events, list):
        kind = item.get("kind")
        if kind and "activit" not in str(kind):
            raise DiscoveryInputError(f"this is a {kind!r} document, not Reports API token activity")
        result.skip(f"{where}: activity without events")
        return
    ident = item.get("id")
    when = None
    if isinstance(ident, dict):
        application = ident.get("applicationName", "token")
        if application != "token":  # another application's activity in a mixed export: counted, skipped
            other = result.other_applications
            key = str(application)[:40]
            other[key] = other.get(key, 0) + 1
            result.skipped += 1
            return
        t = ident.get("time")
        if isinstance(t, str) and len(t) >= 20 and t[10] == "T" and t[-1] == "Z":
            when = t[:19] + "Z"
        elif isinstance(t, (int, float)) or (isinstance(t, str) and t.strip().isdigit()):
            when = _epoch(t)
        elif t:
            when = _when(t)
    actor = item.get("actor")
    if isinstance(actor, dict):
        email, profile = actor.get("email"), actor.get("profileId")
        user = email or profile or "unknown"
        if isinstance(email, str) and email and profile and str(profile) not in result.aliases:
            result.aliases[str(profile)] = email
    else:
        user = "unknown"
    apps, source = result.apps, result.source
    for event in events:
        result.records += 1
        if not isinstance(event, dict):
            result.skip(f"{where}: malformed event")
            continue
        name = event.get("name")
        if name not in EVENTS:
            result.skip(f"{where}: unknown token event {name!r}")
            continue
        client_id = app_name = client_type = api_name = None
        scopes: Any = None
        scope_data = None
        for p in event.get("parameters") or ():
            pname = p.get("name") if isinstance(p, dict) else None
            if pname == "client_id":
                client_id = p.get("value")
            elif pname == "app_name":
                app_name = p.get("value")
            elif pname == "client_type":
                client_type = p.get("value")
            elif pname == "scope":
                scopes = p.get("multiValue") if "multiValue" in p else p.get("value")
            elif pname == "scope_data":
                scope_data = p.get("multiMessageValue")
            elif pname == "api_name":
                api_name = p.get("value")
        if not isinstance(client_id, str) or not client_id:
            result.skip(f"{where}: {name} event without client_id")
            continue
        if isinstance(scopes, str):
            scopes = [s for s in _SCOPE_SPLIT.split(scopes) if s]
        elif scopes is None and scope_data:
            scopes = _scopes({"scope_data": scope_data})
        app = apps.get((PLATFORM, client_id))
        if app is None:
            app = result.app(PLATFORM, client_id)
        elif source not in app.sources:
            app.sources.add(source)
        if not app.name and isinstance(app_name, str):
            app.name = app_name[:200]
        if not app.client_type and isinstance(client_type, str):
            app.client_type = client_type[:50]
        grant = app.grants.get((user, "delegated"))
        if grant is None:
            grant = app.grant(user)
        grant.events += 1
        if when is not None:
            if app.first_seen is None or when < app.first_seen:
                app.first_seen = when
            if app.last_seen is None or when > app.last_seen:
                app.last_seen = when
            if grant.first_seen is None or when < grant.first_seen:
                grant.first_seen = when
            if grant.last_seen is None or when > grant.last_seen:
                grant.last_seen = when
        if name == "authorize":
            if when is not None and (grant.last_authorized is None or when > grant.last_authorized):
                grant.last_authorized = when
        elif name == "revoke":
            stamp = when or "0000"
            if grant.last_revoked is None or stamp > grant.last_revoked:
                grant.last_revoked = stamp
        if scopes:
            known = grant.scopes
            for sc in scopes:
                if sc not in known and isinstance(sc, str) and sc:
                    known[sc] = ""
        if api_name is not None and name == "activity":
            admin = admin_api(api_name)
            if admin:
                app.extra.setdefault("admin_apis", set()).add(admin)


def _first_char(fh) -> str:
    while True:
        c = fh.read(1)
        if c == "" or not c.isspace():
            return c


@decode_guard
def _parse_token_file(result: DiscoveryResult, path, label: str, max_bytes: int) -> None:
    with open_text(path, max_bytes=max_bytes, expected="a token activity export (JSON or CSV)", name=label,
                   record=result.file_info) as fh:
        first = _first_char(fh)
        fh.seek(0)
        if first in "{[":
            before_records, before_other = result.records, sum(result.other_applications.values())
            for n, (item, _meta) in enumerate(records(fh, label)):
                _activity(result, item, f"{label} record {n + 1}")
            other = sum(result.other_applications.values()) - before_other
            if other and result.records == before_records:
                names = ", ".join(repr(n) for n in sorted(result.other_applications))
                raise DiscoveryInputError(f"this is the {names} audit log, not the token log "
                                          "(applicationName 'token'): no token activity in the file", file=label)
        else:
            _parse_token_csv(result, fh, label)


def _event_name(event_text: str, description: str) -> str | None:
    for pattern, name in _EVENT_WORDS:
        if pattern.search(event_text.strip()):
            return name
    for pattern, name in _DESC_WORDS:
        if pattern.search(description):
            return name
    return None


def _parse_token_csv(result: DiscoveryResult, fh, label: str) -> None:
    sample = fh.read(8192)
    fh.seek(0)
    delimiter = csvreader.sniff_delimiter(sample, lines=1)
    it = csvreader.csv_rows(fh, delimiter, name=label, error=DiscoveryInputError)
    header = next(it, (0, []))[1]
    cols = csvreader.match_columns(header, CSV_COLUMNS)
    if "client" not in cols and "app" not in cols:
        raise DiscoveryInputError("not a token audit export: no 'Client ID' or 'App name' column found "
                                  f"(columns: {', '.join(h for h in header[:12] if h)})", file=label)
    if "event" not in cols and "description" not in cols:
        raise DiscoveryInputError("not a token audit export: no 'Event' or 'Description' column", file=label)

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in it:
        if not any(c.strip() for c in row):
            continue
        result.records += 1
        if len(row) < len(header):
            result.skip(f"{label} line {line}: {len(row)} columns instead of {len(header)}")
            continue
        name = _event_name(cell(row, "event"), cell(row, "description"))
        if name is None:
            result.skip(f"{label} line {line}: unknown event {cell(row, 'event')!r}")
            continue
        client_id, app_name = cell(row, "client"), cell(row, "app")
        if not client_id and not app_name:
            result.skip(f"{label} line {line}: neither client ID nor app name")
            continue
        raw_time = cell(row, "time")
        when = parse_time(raw_time)
        if raw_time and when is None:
            result.warn(f"{label} line {line}: date {raw_time!r} not understood")
        scopes = [s for s in _SCOPE_SPLIT.split(cell(row, "scope")) if s]
        _apply(result, name, client_id or f"name:{app_name.lower()}", app_name, cell(row, "actor"), when, scopes,
               cell(row, "client_type"))


def parse_token_activity(paths: list, *, names=None, max_bytes: int = DEFAULT_MAX_BYTES) -> DiscoveryResult:
    result = DiscoveryResult(source="google_tokens")
    for i, path in enumerate(paths):
        label = names[i] if names else str(path)
        result.files.append(label)
        _parse_token_file(result, path, label, max_bytes)
    if result.other_applications:
        counts = ", ".join(f"{name}: {n}" for name, n in sorted(result.other_applications.items()))
        result.warn(f"{sum(result.other_applications.values())} activities of other applications were skipped "
                    f"({counts}); only the token log's events are imported")
    _fold_aliases(result)
    return result


def _fold_aliases(result: DiscoveryResult) -> None:
    """Grants recorded under a user's profile id join the grant under their e-mail (the same person)."""
    if not result.aliases:
        return
    for app in result.apps.values():
        for (user, ptype) in [k for k in app.grants if k[0] in result.aliases]:
            fold_grant(app, app.grants.pop((user, ptype)), result.aliases[user], ptype)


def fold_grant(app, grant, user: str, ptype: str) -> None:
    """Merge ``grant`` into ``app``'s grant of ``user`` (scopes united, dates widened, events added)."""
    from vendorvet.engine.discovery.model import _max, _min

    target = app.grants.get((user, ptype))
    if target is None:
        grant.user = user
        app.grants[(user, ptype)] = grant
        return
    for scope, resource in grant.scopes.items():
        target.scopes.setdefault(scope, resource)
    target.first_seen = _min(target.first_seen, grant.first_seen)
    target.last_seen = _max(target.last_seen, grant.last_seen)
    target.last_authorized = _max(target.last_authorized, grant.last_authorized)
    target.last_revoked = _max(target.last_revoked, grant.last_revoked)
    target.listed = target.listed or grant.listed
    target.events += grant.events


@decode_guard
def _parse_directory_file(result: DiscoveryResult, path, label: str, max_bytes: int) -> None:
    with open_text(path, max_bytes=max_bytes, expected="a Directory API tokens export (JSON)", name=label,
                   record=result.file_info) as fh:
        if _first_char(fh) not in "{[":
            raise DiscoveryInputError("not JSON: expected the Directory API tokens list "
                                      "({\"kind\": \"admin#directory#tokenList\", \"items\": [...]})", file=label)
        fh.seek(0)
        for n, (item, meta) in enumerate(records(fh, label)):
            where = f"{label} record {n + 1}"
            result.records += 1
            if not isinstance(item, dict):
                result.skip(f"{where}: not a token object")
                continue
            kind = item.get("kind") or meta.get("kind") or ""
            if kind and "token" not in kind:
                raise DiscoveryInputError(f"this is a {kind!r} document, not Directory API tokens", file=label)
            client_id = item.get("clientId")
            if not isinstance(client_id, str) or not client_id:
                result.skip(f"{where}: token without clientId")
                continue
            app = result.app(PLATFORM, client_id)
            if item.get("displayText") and not app.name:
                app.name = str(item["displayText"])[:200]
            if item.get("nativeApp"):
                app.client_type = app.client_type or "NATIVE"
            if item.get("anonymous"):
                app.extra["anonymous"] = True
            grant = app.grant(str(item.get("userKey") or meta.get("userKey") or "unknown"))
            grant.listed = True
            grant.events += 1
            scopes = item.get("scopes") or []
            if not isinstance(scopes, list):
                result.skip(f"{where}: scopes is not a list")
                continue
            for s in scopes:
                if isinstance(s, str) and s:
                    grant.scopes.setdefault(s, "")


def parse_directory_tokens(paths: list, *, names=None, max_bytes: int = DEFAULT_MAX_BYTES) -> DiscoveryResult:
    result = DiscoveryResult(source="google_directory")
    for i, path in enumerate(paths):
        label = names[i] if names else str(path)
        result.files.append(label)
        _parse_directory_file(result, path, label, max_bytes)
    return result
