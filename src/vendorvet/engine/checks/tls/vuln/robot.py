"""tls.vuln.robot — Return Of Bleichenbacher's Oracle Threat."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Severity, Verdict, errored, failed, passed

METADATA = {
    "id": "tls.vuln.robot",
    "severity": "critical",
    "title": "Not vulnerable to ROBOT",
    "risk": "A Bleichenbacher padding oracle lets an attacker decrypt recorded RSA-key-exchange sessions or sign "
            "with the server's key.",
    "remediation": "Patch the TLS stack and disable RSA key exchange (TLS_RSA_WITH_* suites).",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "cve": ["CVE-2017-13099"], "ssl_labs": "grade F"},
    "sources": ["robotattack.org"],
    "scored": True,
}

CAP = GradeCap("F", "vulnerable to ROBOT", "anfällig für ROBOT")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    result = tls.robot
    if result is None:
        return unknown("ROBOT exposure", tls, "robot")
    if result == "VULNERABLE_STRONG_ORACLE":
        return failed("the server is a strong Bleichenbacher oracle: practical decryption is possible", result=result).capped(CAP)
    if result == "VULNERABLE_WEAK_ORACLE":
        return failed("the server is a weak Bleichenbacher oracle", Severity.HIGH, result=result).capped(CAP)
    if result == "UNKNOWN_INCONSISTENT_RESULTS":
        return errored("the ROBOT test gave inconsistent answers; exposure is unknown", result=result)
    if result == "NOT_VULNERABLE_RSA_NOT_SUPPORTED":
        return passed("RSA key exchange is not offered, so no oracle is possible", result=result)
    return passed("RSA key exchange is offered but the server does not act as an oracle", result=result)
