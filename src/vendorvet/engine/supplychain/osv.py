"""OSV records: evaluation exactly per ossf/osv-schema docs/schema.md ("Evaluation").

A version is affected by an ``affected[]`` entry if it is listed in ``versions`` or
falls in any ``ranges[]`` entry of type SEMVER or ECOSYSTEM (GIT ranges describe
commits, not package versions, and are skipped). Within a range the events are sorted
by the ecosystem's own order ("0" first, limit "*" last) and walked:

- ``introduced`` X ("0" = from the beginning): affected from X on;
- ``fixed`` X: not affected from X on;
- ``last_affected`` X: not affected above X;
- ``limit`` X: the range ends strictly below X ("*" = no limit); if a range has limit
  events, the version must lie below at least one of them.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any, Iterable

from vendorvet.engine import severity as _severity
from vendorvet.engine.supplychain import versions as V

# The rated advisory severities, mildest first (engine.severity; "unknown" is not a rating).
SEVERITY_ORDER = [s.value for s in reversed(_severity.ADVISORY_SEVERITIES) if s is not _severity.Severity.UNKNOWN]


class InvalidRecord(ValueError):
    """The JSON document is not a usable OSV record."""


def normalize_name(ecosystem: str, name: str) -> str:
    """The index key of a package name in its ecosystem."""
    base = ecosystem.split(":", 1)[0]
    if base == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503
    if base in ("NuGet", "Packagist", "crates.io", "RubyGems"):
        return name.lower()
    return name


def _range_key(range_type: str, ecosystem: str):
    if range_type == "SEMVER":
        return V.semver_range_key
    return lambda v: V.sort_key(ecosystem, v)


_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


def _sorted_events(events: list[dict], key) -> list[tuple]:
    """Events as (kind, value, ordering key or None), sorted: introduced "0" first, limit "*" last."""
    head, middle, tail = [], [], []
    for evt in events:
        pairs = [(k, v) for k, v in evt.items() if k in _EVENT_KINDS]
        if len(pairs) != 1:
            raise InvalidRecord("each range event must have exactly one of introduced/fixed/last_affected/limit")
        kind, value = pairs[0]
        if kind == "introduced" and value == "0":
            head.append((kind, value, None))
        elif kind == "limit" and value == "*":
            tail.append((kind, value, None))
        else:
            middle.append((kind, value, key(value)))
    middle.sort(key=lambda t: t[2])
    return head + middle + tail


def in_range(version: str, rng: dict, ecosystem: str) -> bool:
    """True if ``version`` falls in one OSV range (SEMVER or ECOSYSTEM)."""
    key = _range_key(rng.get("type", ""), ecosystem)
    v = key(version)
    events = _sorted_events(rng.get("events") or [], key)
    limits = [(val, k) for kind, val, k in events if kind == "limit"]
    if limits and not any(val == "*" or v < k for val, k in limits):
        return False
    affected = False
    for kind, val, k in events:
        if kind == "introduced" and (k is None or v >= k):
            affected = True
        elif kind == "fixed" and v >= k:
            affected = False
        elif kind == "last_affected" and v > k:
            affected = False
    return affected


def affects(affected: dict, version: str, ecosystem: str) -> bool:
    """Evaluate one ``affected[]`` entry. Unorderable versions only match the explicit list."""
    if version in (affected.get("versions") or []):
        return True
    for rng in affected.get("ranges") or []:
        if rng.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        try:
            if in_range(version, rng, ecosystem):
                return True
        except V.InvalidVersion:
            continue
    return False


def fixed_versions(affected: dict) -> list[str]:
    out: list[str] = []
    for rng in affected.get("ranges") or []:
        if rng.get("type") in ("SEMVER", "ECOSYSTEM"):
            for evt in rng.get("events") or []:
                if "fixed" in evt and evt["fixed"] not in out:
                    out.append(evt["fixed"])
    return out


@dataclasses.dataclass(frozen=True)
class Rating:
    """An advisory's rating: its severity (a value of engine.severity.Severity's advisory scale) and CVSS."""

    label: str  # none/low/medium/high/critical/unknown
    score: float | None
    vector: str


def _label_for(score: float) -> str:
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "none"


@functools.lru_cache(maxsize=20_000)
def score_vector(kind: str, vector: str) -> float | None:
    """Base score of a CVSS vector computed by the ``cvss`` library (None if invalid)."""
    import cvss

    try:
        if kind == "CVSS_V4":
            return float(cvss.CVSS4(vector).base_score)
        if kind == "CVSS_V3":
            return float(cvss.CVSS3(vector).scores()[0])
        if kind == "CVSS_V2":
            return float(cvss.CVSS2(vector).scores()[0])
    except Exception:  # the library raises several error types for bad vectors
        return None
    return None


Severity = Rating  # the former name of the rating (not a second severity enum)


def record_severity(record: dict) -> Rating:
    """Highest-version CVSS vector wins (v4 > v3 > v2); else the database's own label."""
    entries = list(record.get("severity") or [])
    for aff in record.get("affected") or []:
        entries.extend(aff.get("severity") or [])
    for kind in ("CVSS_V4", "CVSS_V3", "CVSS_V2"):
        for entry in entries:
            if entry.get("type") == kind:
                score = score_vector(kind, entry.get("score", ""))
                if score is not None:
                    return Rating(_label_for(score), score, entry["score"])
    label = str((record.get("database_specific") or {}).get("severity") or "").lower()
    label = {"moderate": "medium"}.get(label, label)
    return Rating(label if label in SEVERITY_ORDER else "unknown", None, "")


def validate(record: Any) -> dict:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not record["id"]:
        raise InvalidRecord("an OSV record needs a string 'id'")
    if not isinstance(record.get("modified", ""), str):
        raise InvalidRecord(f"{record['id']}: 'modified' must be a timestamp string")
    for aff in record.get("affected") or []:
        if not isinstance(aff, dict):
            raise InvalidRecord(f"{record['id']}: affected entries must be objects")
        for rng in aff.get("ranges") or []:
            kinds = [k for e in rng.get("events") or [] for k in e]
            if rng.get("type") in ("SEMVER", "ECOSYSTEM") and "introduced" not in kinds:
                raise InvalidRecord(f"{record['id']}: a range needs an 'introduced' event")
    return record


def packages(record: dict) -> Iterable[tuple[str, str]]:
    """(ecosystem, normalised name) pairs the record is indexed under."""
    seen = set()
    for aff in record.get("affected") or []:
        pkg = aff.get("package") or {}
        eco, name = pkg.get("ecosystem"), pkg.get("name")
        if eco and name:
            pair = (eco.split(":", 1)[0], normalize_name(eco, name))
            if pair not in seen:
                seen.add(pair)
                yield pair
