"""tls.protocol.tls12 — TLS 1.2 or 1.3 must be offered."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

METADATA = {
    "id": "tls.protocol.tls12",
    "severity": "high",
    "title": "TLS 1.2 or TLS 1.3 offered",
    "risk": "Without TLS 1.2 or 1.3 only deprecated protocols remain; modern clients refuse to connect "
            "or connect insecurely.",
    "remediation": "Enable TLS 1.2 and TLS 1.3.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "ssl_labs": "no TLS 1.2 caps at C"},
    "sources": ["SSL Labs SSL/TLS Server Rating Guide"],
    "scored": True,
}

CAP = GradeCap("C", "no TLS 1.2 or 1.3", "kein TLS 1.2 oder 1.3")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    modern = [p for p in ("TLS 1.2", "TLS 1.3") if tls.protocols.get(p)]
    if modern:
        return passed(f"{' and '.join(modern)} offered", offered=tls.offered())
    if any(tls.protocols.get(p) is None for p in ("TLS 1.2", "TLS 1.3")):
        return unknown("whether TLS 1.2 or 1.3 is offered", tls, "tls_1_2_cipher_suites", "tls_1_3_cipher_suites")
    verdict = failed("neither TLS 1.2 nor TLS 1.3 is offered", offered=tls.offered())
    return verdict.capped(CAP) if tls.offered() else verdict
