"""api.lifecycle.deprecation — RFC 9745 Deprecation and RFC 8594 Sunset announcements."""

from __future__ import annotations

import datetime as dt

from vendorvet.engine.checks._httputil import parse_http_date, parse_sf_item
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, failed, passed, warned

METADATA = {
    "id": "api.lifecycle.deprecation",
    "severity": "medium",
    "title": "API not deprecated or sunset",
    "risk": "A deprecated API version will be switched off; an integration built on it breaks at the sunset date.",
    "remediation": "Migrate the integration to the successor version named in the Link rel=\"deprecation\"/"
                   "\"successor-version\" documentation before the sunset date.",
    "requires": ["http"],
    "mappings": {"iso27001_2022": ["A.5.22"]},
    "sources": ["RFC 9745 (Deprecation)", "RFC 8594 (Sunset)"],
}

SUNSET_WARN_DAYS = 90


def parse_deprecation(value: str) -> dt.datetime | bool | None:
    """RFC 9745 ``@epoch``; earlier drafts used ``true`` or an HTTP-date. ``None`` if unparseable."""
    item = parse_sf_item(value)
    if item and isinstance(item[0], dt.datetime):
        return item[0]
    if value.strip().lower() == "true" or item and item[0] is True:
        return True
    return parse_http_date(value)


def _links(final, rel: str) -> list[str]:
    out = []
    for value in final.header_all("link"):
        for part in value.split(","):
            if f'rel="{rel}"' in part or f"rel={rel}" in part:
                out.append(part.split(">")[0].strip().lstrip("<"))
    return out


def check(facts: ScanFacts) -> Verdict:
    final = facts.http.value.main.final
    dep_raw, sunset_raw = final.header("deprecation"), final.header("sunset")
    evidence: dict = {"deprecation": dep_raw, "sunset": sunset_raw,
                      "documentation": _links(final, "deprecation") + _links(final, "sunset")}
    sunset = parse_http_date(sunset_raw) if sunset_raw else None
    deprecation = parse_deprecation(dep_raw) if dep_raw else None
    now = facts.now
    if sunset is not None:
        evidence["sunset_at"] = sunset.isoformat()
        if isinstance(deprecation, dt.datetime) and sunset < deprecation:
            evidence["problem"] = "Sunset is earlier than Deprecation (invalid per RFC 9745)"
        if sunset <= now:
            return failed(f"the API's sunset date {sunset:%Y-%m-%d} has passed", **evidence)
        if sunset - now <= dt.timedelta(days=SUNSET_WARN_DAYS):
            return warned(f"the API will be switched off on {sunset:%Y-%m-%d} "
                          f"({(sunset - now).days} days)", Severity.HIGH, **evidence)
    if dep_raw is not None:
        if deprecation is None:
            return warned(f"unparseable Deprecation header {dep_raw!r}", **evidence)
        when = f" since {deprecation:%Y-%m-%d}" if isinstance(deprecation, dt.datetime) else ""
        if isinstance(deprecation, dt.datetime):
            evidence["deprecated_at"] = deprecation.isoformat()
            if deprecation > now:
                when = f" from {deprecation:%Y-%m-%d}"
        return warned(f"the API is deprecated{when}", **evidence)
    if sunset_raw and sunset is None:
        return warned(f"unparseable Sunset header {sunset_raw!r}", **evidence)
    if sunset is not None:
        return warned(f"a sunset is scheduled for {sunset:%Y-%m-%d}", Severity.LOW, **evidence)
    return passed("no Deprecation or Sunset header", **evidence)
