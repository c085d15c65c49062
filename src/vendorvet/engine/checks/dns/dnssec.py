"""dns.dnssec — the registrable domain is DNSSEC-signed (informational-positive)."""

from __future__ import annotations

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, errored, informed, not_applicable, passed

METADATA = {
    "id": "dns.dnssec",
    "severity": "low",
    "title": "DNSSEC",
    "risk": "Unsigned zones can be spoofed by cache poisoning, redirecting API traffic or mail.",
    "remediation": "Sign the zone and publish the DS record at the registrar.",
    "requires": ["dns"],
    "mappings": {"iso27001_2022": ["A.8.20"]},
    "sources": ["RFC 4033", "Bitsight DNSSEC risk vector"],
}


def check(facts: ScanFacts) -> Verdict:
    dns = facts.dns.value
    if not dns.domain:
        return not_applicable("the target is an IP address")
    if dns.dnskey is None:
        return errored(f"could not look up DNSKEY: {dns.errors.get('dnssec', 'unknown error')}")
    evidence = {"domain": dns.domain, "dnskey": dns.dnskey, "validated": dns.authenticated}
    if dns.dnskey and dns.authenticated:
        return passed(f"{dns.domain} is signed and the resolver validated the chain", **evidence)
    if dns.dnskey:
        return informed(f"{dns.domain} publishes DNSKEY records, but the resolver did not validate the chain "
                        "(non-validating resolver or broken chain)", **evidence)
    return informed(f"{dns.domain} is not DNSSEC-signed", **evidence)
