"""tls.vuln.compression — TLS-level compression enables CRIME."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

METADATA = {
    "id": "tls.vuln.compression",
    "severity": "high",
    "title": "No TLS compression (CRIME)",
    "risk": "TLS compression lets an attacker recover secrets such as session cookies byte by byte (CRIME).",
    "remediation": "Disable TLS compression.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "cve": ["CVE-2012-4929"], "ssl_labs": "CRIME caps at C"},
    "sources": ["CVE-2012-4929"],
    "scored": True,
}

CAP = GradeCap("C", "TLS compression (CRIME)", "TLS-Komprimierung (CRIME)")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if tls.compression is None:
        return unknown("TLS compression support", tls, "tls_compression")
    if tls.compression:
        return failed("the server accepts TLS compression (CRIME)").capped(CAP)
    return passed("TLS compression is not supported")
