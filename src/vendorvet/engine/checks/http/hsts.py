"""http.hsts — Strict-Transport-Security on HTTPS, max-age of at least six months."""

from __future__ import annotations

from vendorvet.engine.checks._httputil import SIX_MONTHS, parse_hsts
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, failed, passed, warned

METADATA = {
    "id": "http.hsts",
    "severity": "medium",
    "title": "HTTP Strict Transport Security",
    "risk": "Without HSTS a network attacker can strip TLS from the first request of a browser-based "
            "integration (SSL stripping).",
    "remediation": "Send 'Strict-Transport-Security: max-age=31536000; includeSubDomains' on every HTTPS response.",
    "requires": ["http"],
    "mappings": {"owasp_asvs_4": ["14.4.5"], "iso27001_2022": ["A.8.20"], "observatory_v6": "strict-transport-security"},
    "sources": ["RFC 6797", "MDN HTTP Observatory scoring v6"],
}


def check(facts: ScanFacts) -> Verdict:
    http = facts.http.value
    final = http.main.final
    value = final.header("strict-transport-security") if final else None
    if not final.url.startswith("https://"):
        return failed("the final response was not served over HTTPS, so HSTS cannot apply", url=final.url)
    if value is None:
        return failed("no Strict-Transport-Security header on the HTTPS response", url=final.url)
    parsed = parse_hsts(final.header_all("strict-transport-security")[0])
    if parsed is None:
        return failed(f"invalid Strict-Transport-Security header: {value!r}", header=value)
    if not http.tls_verified:
        return failed("HSTS is sent, but browsers ignore it because the certificate does not validate",
                      header=value, **parsed)
    if parsed["max_age"] < SIX_MONTHS:
        return warned(f"max-age is {parsed['max_age']} s, less than six months ({SIX_MONTHS} s)",
                      header=value, **parsed)
    return passed(f"HSTS with max-age {parsed['max_age']} s", header=value, **parsed)
