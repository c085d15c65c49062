"""dns.caa — which certificate authorities may issue for the host (informational)."""

from __future__ import annotations

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, errored, informed, not_applicable

METADATA = {
    "id": "dns.caa",
    "severity": "info",
    "title": "CAA records",
    "risk": "Without CAA any public CA may issue certificates for the vendor's names, widening the set of CAs "
            "whose mistakes could enable interception.",
    "remediation": "Publish CAA records naming the CAs the vendor uses (RFC 8659).",
    "requires": ["dns"],
    "mappings": {"iso27001_2022": ["A.8.24"]},
    "sources": ["RFC 8659"],
}


def check(facts: ScanFacts) -> Verdict:
    dns = facts.dns.value
    if not dns.domain:
        return not_applicable("the target is an IP address")
    if dns.caa is None:
        return errored(f"could not look up CAA: {dns.errors.get('caa', 'unknown error')}")
    if not dns.caa:
        return informed(f"no CAA records for {dns.name} or its parents: any public CA may issue", records=[])
    issuers = sorted({r.split(None, 2)[2].strip('"') for r in dns.caa if len(r.split(None, 2)) == 3
                      and r.split()[1].lower() in ("issue", "issuewild")})
    return informed(f"CAA at {dns.caa_owner} allows: {', '.join(issuers) or 'no CA'}", records=list(dns.caa),
                    owner=dns.caa_owner, issuers=issuers)
