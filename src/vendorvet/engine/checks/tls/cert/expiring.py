"""tls.cert.expiring — warn when the leaf certificate expires within 30 days."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_TRANSPORT, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, not_applicable, passed, warned

WARN_DAYS = 30

METADATA = {
    "id": "tls.cert.expiring",
    "severity": "medium",
    "title": "Certificate not about to expire",
    "risk": "A certificate that expires soon without automated renewal leads to an outage of the integration.",
    "remediation": "Renew now and automate renewal (ACME) so certificates are replaced well before expiry.",
    "requires": ["tls"],
    "mappings": ISO_TRANSPORT,
    "sources": ["CA/Browser Forum Baseline Requirements (certificate lifetimes)"],
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain:
        return unknown("the certificate", tls, "certificate_info")
    leaf = tls.leaf
    remaining = leaf.not_after - facts.now
    days = remaining.days
    if remaining.total_seconds() < 0:
        return not_applicable("the certificate has already expired (see tls.cert.expired)",
                              not_after=leaf.not_after.isoformat())
    if days <= WARN_DAYS:
        return warned(f"the certificate expires in {days} days, on {leaf.not_after:%Y-%m-%d}",
                      days_left=days, not_after=leaf.not_after.isoformat())
    return passed(f"{days} days left", days_left=days, not_after=leaf.not_after.isoformat())
