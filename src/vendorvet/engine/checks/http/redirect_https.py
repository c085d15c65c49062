"""http.redirect_https — plain HTTP must redirect to HTTPS (first hop, same host)."""

from __future__ import annotations

from urllib.parse import urlsplit

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, errored, failed, not_applicable, passed, warned

METADATA = {
    "id": "http.redirect_https",
    "severity": "medium",
    "title": "Plain HTTP redirects to HTTPS",
    "risk": "A plain-HTTP endpoint that answers with content invites clients to send credentials and data "
            "unencrypted.",
    "remediation": "Answer every plain-HTTP request with a 301/308 redirect to the same host over HTTPS, or "
                   "do not listen on plain HTTP at all.",
    "requires": ["http"],
    "mappings": {"owasp_asvs_4": ["9.1.1"], "iso27001_2022": ["A.8.20"], "observatory_v6": "redirection"},
    "sources": ["MDN HTTP Observatory scoring v6 (redirection)"],
}


def check(facts: ScanFacts) -> Verdict:
    http = facts.http.value
    plain = http.plain
    if plain is None:
        return not_applicable("plain HTTP was not tried")
    if not plain.hops:
        if plain.error_reason in ("connectivity", "timeout"):
            return not_applicable("nothing answers on plain HTTP", error=plain.error)
        return errored(f"plain HTTP could not be checked: {plain.error}", reason=plain.error_reason)
    chain = [{"url": h.url, "status": h.status, "location": h.header("location")} for h in plain.hops]
    if plain.error_reason == "refused_by_policy":
        return errored(f"the redirect chain was cut off by the SSRF guard: {plain.error}", chain=chain)
    first = plain.hops[0]
    final = plain.final
    if not final.url.startswith("https://"):
        if plain.error:
            return failed(f"plain HTTP never reached HTTPS: {plain.error}", chain=chain)
        return failed(f"plain HTTP answers with status {final.status} instead of redirecting to HTTPS", chain=chain)
    first_target = plain.hops[1].url if len(plain.hops) > 1 else final.url
    if not first_target.startswith("https://"):
        return warned("plain HTTP reaches HTTPS only after an intermediate plain-HTTP redirect", Severity.LOW,
                      chain=chain)
    if urlsplit(first_target).hostname != urlsplit(first.url).hostname:
        return warned("the first redirect from plain HTTP goes to another host", Severity.LOW, chain=chain)
    return passed(f"plain HTTP redirects to {first_target} ({first.status})", chain=chain)
