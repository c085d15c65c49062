"""tls.protocol.tls13 — TLS 1.3 should be offered."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, passed, warned

METADATA = {
    "id": "tls.protocol.tls13",
    "severity": "low",
    "title": "TLS 1.3 offered",
    "risk": "TLS 1.3 removes legacy key exchange and cipher modes and shortens the handshake; without it the "
            "server relies on TLS 1.2 configuration being right.",
    "remediation": "Enable TLS 1.3 (OpenSSL 1.1.1 or later, or any current TLS library).",
    "requires": ["tls"],
    "mappings": ISO_CRYPTO,
    "sources": ["RFC 8446", "SSL Labs SSL/TLS Server Rating Guide (A+ needs TLS 1.3)"],
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    value = tls.protocols.get("TLS 1.3")
    if value is None:
        return unknown("whether TLS 1.3 is offered", tls, "tls_1_3_cipher_suites")
    if value:
        return passed("TLS 1.3 is offered", offered=tls.offered())
    return warned("TLS 1.3 is not offered", offered=tls.offered())
