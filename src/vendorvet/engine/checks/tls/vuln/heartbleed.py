"""tls.vuln.heartbleed — CVE-2014-0160."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

METADATA = {
    "id": "tls.vuln.heartbleed",
    "severity": "critical",
    "title": "Not vulnerable to Heartbleed",
    "risk": "Heartbleed leaks server memory — private keys, session cookies, credentials — to anyone.",
    "remediation": "Update OpenSSL (1.0.1g or later), then replace the private key and revoke the certificate.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "cve": ["CVE-2014-0160"], "ssl_labs": "grade F"},
    "sources": ["CVE-2014-0160"],
    "scored": True,
}

CAP = GradeCap("F", "vulnerable to Heartbleed", "anfällig für Heartbleed")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if tls.heartbleed is None:
        return unknown("Heartbleed exposure", tls, "heartbleed")
    if tls.heartbleed:
        return failed("the server answers malformed heartbeats with memory contents (CVE-2014-0160)").capped(CAP)
    return passed("not vulnerable to Heartbleed")
