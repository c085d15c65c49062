"""Google apps first seen without a client ID (``name:<app name>``) and later with one: one record, not two.

A Google token audit CSV without a client-ID column names an app only by its display name; the engine keys such an
app ``name:<name in lower case>``. When a later import (of the same tenant) sees an app *with* a client ID and the
same display name, the stored ``name:`` record takes that client ID — it keeps its primary key, so its grants and
their revocations, its link to an integration, its review state and its first import stay as they were. Rows of a
later import that again lack the client ID land on that record too.

Only an unambiguous match is adopted: exactly one stored ``name:`` record and exactly one client ID (stored or in
this import) for the display name (compared without case and repeated blanks). Otherwise nothing is merged, both
records stay, and the import summary says so.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from vendorvet.engine.discovery.model import AppObservation, DiscoveryResult, _max, _min
from vendorvet.web.discovery.models import DiscoveredApp

PLATFORM = "google"
PREFIX = "name:"

# Stored in English (as the import's other warnings); shown in the reader's language (their msgids are translated).
ADOPTED = gettext_noop("%(name)s: the app recorded without a client ID (from an earlier import) now has the client "
                       "ID %(client)s; its grants, revocations, review and inventory link are kept.")
AMBIGUOUS_RECORDS = gettext_noop("%(name)s: %(count)s apps recorded without a client ID have this name; none was "
                                 "merged with the app of client ID %(client)s. Both are kept apart.")
AMBIGUOUS_CLIENTS = gettext_noop("%(name)s: %(count)s client IDs have this name; the app recorded without a "
                                 "client ID was not merged with any of them.")


def normal(name: str) -> str:
    """A display name compared without case and repeated blanks."""
    return " ".join((name or "").split()).casefold()


def _named(obs: AppObservation) -> str:
    return normal(obs.name or obs.client_id[len(PREFIX):])


def adopt_name_records(result: DiscoveryResult) -> list[str]:
    """Give stored ``name:`` records the client ID this import names them by, and fold this import's name-only
    rows into the app of that client ID; returns the notes for the import summary. Call before the merge."""
    keys = [key for key in result.apps if key[0] == PLATFORM]
    if not keys:
        return []
    with_id = {key: result.apps[key] for key in keys if not key[1].startswith(PREFIX) and result.apps[key].name}
    name_only = {key: result.apps[key] for key in keys if key[1].startswith(PREFIX)}
    stored_names: dict[str, list[DiscoveredApp]] = {}
    stored_ids: dict[str, set[str]] = {}
    stored_keys = set()
    for app in DiscoveredApp.objects.filter(platform=PLATFORM).only("pk", "client_id", "name").order_by("pk"):
        stored_keys.add(app.client_id)
        if app.client_id.startswith(PREFIX):
            stored_names.setdefault(normal(app.name or app.client_id[len(PREFIX):]), []).append(app)
        elif app.name:
            stored_ids.setdefault(normal(app.name), set()).add(app.client_id)
    claimants: dict[str, set[str]] = {name: set(ids) for name, ids in stored_ids.items()}
    for key, obs in with_id.items():
        claimants.setdefault(normal(obs.name), set()).add(key[1])
    notes: list[str] = []
    # 1. a stored name: record takes the client ID this import brings for its name
    for key, obs in sorted(with_id.items()):
        name = normal(obs.name)
        records = stored_names.get(name) or []
        if key[1] in stored_keys or not records:
            continue
        if len(records) > 1:
            notes.append(AMBIGUOUS_RECORDS % {"name": obs.name, "count": len(records), "client": key[1]})
            continue
        if len(claimants[name]) > 1:
            notes.append(AMBIGUOUS_CLIENTS % {"name": obs.name, "count": len(claimants[name])})
            continue
        record = records[0]
        DiscoveredApp.objects.filter(pk=record.pk).update(client_id=key[1][:300])
        stored_names[name] = []
        stored_keys.discard(record.client_id)
        stored_keys.add(key[1])
        notes.append(ADOPTED % {"name": obs.name, "client": key[1]})
    # 2. this import's rows without a client ID join the one app of that name with a client ID
    for key, obs in sorted(name_only.items()):
        name = _named(obs)
        ids = claimants.get(name) or set()
        if stored_names.get(name) or not ids:  # still a name: record of its own (or nothing to join)
            continue
        if len(ids) > 1:
            notes.append(AMBIGUOUS_CLIENTS % {"name": obs.name or key[1][len(PREFIX):], "count": len(ids)})
            continue
        _fold(result, key, (PLATFORM, next(iter(ids))))
    return list(dict.fromkeys(notes))


def _fold(result: DiscoveryResult, source: tuple[str, str], target: tuple[str, str]) -> None:
    """Move the observation ``source`` onto ``target`` (grants united, dates widened)."""
    from vendorvet.engine.discovery.google import fold_grant

    obs = result.apps.pop(source)
    into = result.apps.get(target)
    if into is None:
        obs.client_id = target[1]
        result.apps[target] = obs
        return
    for (user, ptype), grant in obs.grants.items():
        fold_grant(into, grant, user, ptype)
    into.first_seen = _min(into.first_seen, obs.first_seen)
    into.last_seen = _max(into.last_seen, obs.last_seen)
    into.sources |= obs.sources
    into.client_type = into.client_type or obs.client_type
    into.name = into.name or obs.name
