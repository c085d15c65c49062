"""tls.protocol.legacy — SSL 2.0/3.0, TLS 1.0 and 1.1 must not be accepted."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, unknown
from vendorvet.engine.collectors.tls import PROTOCOL_COMMANDS
from vendorvet.engine.facts import LEGACY_PROTOCOLS, ScanFacts
from vendorvet.engine.models import GradeCap, Severity, Verdict, failed, passed

METADATA = {
    "id": "tls.protocol.legacy",
    "severity": "high",
    "title": "No legacy SSL/TLS protocol versions",
    "risk": "SSL 2.0/3.0 and TLS 1.0/1.1 are deprecated (RFC 8996) and allow downgrade and "
            "padding-oracle attacks such as POODLE and BEAST.",
    "remediation": "Disable SSL 2.0, SSL 3.0, TLS 1.0 and TLS 1.1; offer TLS 1.2 and TLS 1.3 only.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "ssl_labs": "TLS 1.0/1.1 cap at B, SSL 3.0 at B/F, SSL 2.0 at F"},
    "sources": ["RFC 8996", "SSL Labs SSL/TLS Server Rating Guide"],
    "scored": True,
}


def caps(offered: set[str]) -> tuple[GradeCap, ...]:
    """SSL Labs: SSL 2.0 gives F, SSL 3.0 as the best version F, any legacy version caps at B."""
    found = []
    if "SSL 2.0" in offered:
        found.append(GradeCap("F", "SSL 2.0 offered", "SSL 2.0 angeboten"))
    if offered and offered <= {"SSL 2.0", "SSL 3.0"}:
        found.append(GradeCap("F", "SSL 3.0 is the best protocol offered", "SSL 3.0 ist das beste angebotene Protokoll"))
    legacy = [p for p in LEGACY_PROTOCOLS if p in offered and p != "SSL 2.0"]
    if legacy:
        shown = ", ".join(p for p in LEGACY_PROTOCOLS if p in offered)
        found.append(GradeCap("B", f"legacy protocol versions offered: {shown}",
                              f"veraltete Protokollversionen angeboten: {shown}"))
    return tuple(found)


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    offered = [p for p in LEGACY_PROTOCOLS if tls.protocols.get(p)]
    if offered:
        severity = Severity.CRITICAL if {"SSL 2.0", "SSL 3.0"} & set(offered) else None
        return failed(f"the server accepts {', '.join(offered)}", severity, accepted=offered).capped(
            *caps(set(tls.offered())))
    missing = [p for p in LEGACY_PROTOCOLS if tls.protocols.get(p) is None]
    if missing:
        return unknown(f"whether {', '.join(missing)} is accepted", tls, *(PROTOCOL_COMMANDS[p] for p in missing))
    return passed("no legacy protocol version is accepted", accepted=[], tested=list(LEGACY_PROTOCOLS))
