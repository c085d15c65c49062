"""api.ratelimit.headers — the API announces its rate limit (IETF RateLimit fields or X-RateLimit-*)."""

from __future__ import annotations

import re

from vendorvet.engine.checks._httputil import parse_sf_list
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, passed, warned

METADATA = {
    "id": "api.ratelimit.headers",
    "severity": "low",
    "title": "Rate-limit headers",
    "risk": "Without announced limits, integrations cannot pace themselves and hit hard throttling or outages; "
            "absence can also mean there is no limit protecting the API from abuse (OWASP API4).",
    "remediation": "Send RateLimit-Policy / RateLimit (IETF httpapi draft) or the X-RateLimit-Limit/Remaining/Reset "
                   "family on API responses.",
    "requires": ["http"],
    "mappings": {"owasp_api_top10_2023": ["API4"]},
    "sources": ["draft-ietf-httpapi-ratelimit-headers-10"],
}

LEGACY = re.compile(r"^(x-)?rate-?limit-(limit|remaining|reset)(-[a-z0-9]+)?$")


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip().split(",")[0].split(";")[0])
    except (TypeError, ValueError):
        return None


def parse(headers: list[tuple[str, str]]) -> dict | None:
    by_name: dict[str, str] = {}
    for name, value in headers:
        by_name[name] = f"{by_name[name]}, {value}" if name in by_name else value
    if "ratelimit-policy" in by_name or "ratelimit" in by_name:
        policies = parse_sf_list(by_name.get("ratelimit-policy", "")) or []
        current = parse_sf_list(by_name.get("ratelimit", "")) or []
        out = {"format": "ietf-draft-10",
               "policies": [{"name": n, "quota": p.get("q"), "window": p.get("w"), "unit": p.get("qu")}
                            for n, p in policies],
               "current": [{"name": n, "remaining": p.get("r"), "reset": p.get("t")} for n, p in current]}
        limit = next((p["quota"] for p in out["policies"] if isinstance(p["quota"], int)), None)
        out["limit"] = limit
        if limit is not None or out["current"]:
            return out
    found = {name: value for name, value in by_name.items() if LEGACY.match(name)}
    if found:
        limit = next((_int(v) for n, v in found.items() if LEGACY.match(n).group(2) == "limit"
                      and _int(v) is not None), None)
        family = "x-ratelimit" if any(n.startswith("x-") for n in found) else "ratelimit-draft-legacy"
        return {"format": family, "headers": found, "limit": limit}
    return None


def check(facts: ScanFacts) -> Verdict:
    http = facts.http.value
    final = http.main.final
    parsed = parse(list(final.headers))
    if parsed is None:
        for exchange in http.all_exchanges():
            parsed = parse(list(exchange.headers))
            if parsed:
                break
    if parsed is None:
        return warned("no rate-limit headers on the API response", url=final.url)
    limit = parsed.get("limit")
    return passed(f"rate limit announced ({parsed['format']}" + (f", limit {limit})" if limit is not None else ")"),
                  **parsed)
