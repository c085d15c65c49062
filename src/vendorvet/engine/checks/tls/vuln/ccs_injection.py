"""tls.vuln.ccs_injection — OpenSSL ChangeCipherSpec injection (CVE-2014-0224)."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

METADATA = {
    "id": "tls.vuln.ccs_injection",
    "severity": "critical",
    "title": "Not vulnerable to CCS injection",
    "risk": "An early ChangeCipherSpec lets a man in the middle force weak keys and read or modify traffic.",
    "remediation": "Update OpenSSL (0.9.8za / 1.0.0m / 1.0.1h or later).",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "cve": ["CVE-2014-0224"], "ssl_labs": "grade F"},
    "sources": ["CVE-2014-0224"],
    "scored": True,
}

CAP = GradeCap("F", "vulnerable to CCS injection", "anfällig für CCS-Injection")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if tls.ccs_injection is None:
        return unknown("CCS injection exposure", tls, "openssl_ccs_injection")
    if tls.ccs_injection:
        return failed("the server accepts an early ChangeCipherSpec (CVE-2014-0224)").capped(CAP)
    return passed("not vulnerable to CCS injection")
