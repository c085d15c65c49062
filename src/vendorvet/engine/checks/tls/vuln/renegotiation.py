"""tls.vuln.renegotiation — secure renegotiation (RFC 5746) and no client-initiated renegotiation DoS."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, failed, passed, warned

METADATA = {
    "id": "tls.vuln.renegotiation",
    "severity": "high",
    "title": "Secure renegotiation",
    "risk": "Insecure renegotiation allows plaintext injection into a victim's session (CVE-2009-3555); "
            "unlimited client-initiated renegotiation is a cheap denial-of-service lever.",
    "remediation": "Support RFC 5746 secure renegotiation and refuse client-initiated renegotiation.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "cve": ["CVE-2009-3555"]},
    "sources": ["RFC 5746", "SSL Labs SSL/TLS Server Rating Guide"],
    "scored": True,
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if tls.secure_renegotiation is None:
        return unknown("renegotiation behaviour", tls, "session_renegotiation")
    evidence = {"secure_renegotiation": tls.secure_renegotiation,
                "client_renegotiation_dos": tls.client_renegotiation_dos}
    if not tls.secure_renegotiation:
        return failed("the server does not support secure renegotiation (RFC 5746)", **evidence)
    if tls.client_renegotiation_dos:
        return warned("the server honours repeated client-initiated renegotiation (DoS lever)", Severity.LOW,
                      **evidence)
    return passed("secure renegotiation supported; client-initiated renegotiation is limited", **evidence)
