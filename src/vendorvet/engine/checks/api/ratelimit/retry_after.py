"""api.ratelimit.retry_after — a 429 (or 503) response must say when to retry."""

from __future__ import annotations

from vendorvet.engine.checks._httputil import parse_http_date
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, failed, not_applicable, passed

METADATA = {
    "id": "api.ratelimit.retry_after",
    "severity": "low",
    "title": "Retry-After on throttled responses",
    "risk": "Throttled clients without Retry-After retry blindly, amplifying load and prolonging outages.",
    "remediation": "Send Retry-After (seconds or an HTTP-date) with every 429 and 503 response.",
    "requires": ["http"],
    "mappings": {"owasp_api_top10_2023": ["API4"]},
    "sources": ["RFC 6585 §4", "RFC 9110 §10.2.3"],
}


def valid_retry_after(value: str | None) -> bool:
    if value is None:
        return False
    value = value.strip()
    return value.isdigit() or parse_http_date(value) is not None


def check(facts: ScanFacts) -> Verdict:
    throttled = [e for e in facts.http.value.all_exchanges() if e.status in (429, 503)]
    if not throttled:
        return not_applicable("no 429 or 503 response was seen (vendorvet does not load-test to provoke one)")
    bad = [{"url": e.url, "status": e.status, "retry_after": e.header("retry-after")} for e in throttled
           if not valid_retry_after(e.header("retry-after"))]
    if bad:
        return failed(f"{len(bad)} throttled response(s) without a valid Retry-After", responses=bad)
    return passed("every throttled response carries Retry-After",
                  retry_after=[e.header("retry-after") for e in throttled])
