"""tls.kex.weak_dh — ephemeral DH groups ≥ 2048 bits, elliptic curves ≥ 224 bits."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, key_exchange_caps
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, failed, not_applicable, passed

METADATA = {
    "id": "tls.kex.weak_dh",
    "severity": "high",
    "title": "Strong key-exchange groups",
    "risk": "Finite-field DH groups under 2048 bits (Logjam) and curves under 224 bits can be broken by "
            "well-funded attackers, exposing the session keys.",
    "remediation": "Use DH groups of at least 2048 bits (RFC 7919 ffdhe2048+) or, better, only ECDHE with "
                   "X25519/P-256 or stronger.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "ssl_labs": "key exchange < 2048 bits caps at B, ≤ 1024 bits at F"},
    "sources": ["badssl.com dh480, dh512, dh1024", "weakdh.org (Logjam)"],
    "scored": True,
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    dh = [c for c in tls.ciphers if c.dh_bits]
    ec = [c for c in tls.ciphers if c.ec_bits]
    if not dh and not ec:
        return not_applicable("no ephemeral key exchange was negotiated (see tls.cipher.forward_secrecy)")
    weak = [{"suite": c.name, "protocol": c.protocol, "dh_bits": c.dh_bits} for c in dh if c.dh_bits < 2048]
    weak += [{"suite": c.name, "protocol": c.protocol, "ec_bits": c.ec_bits, "curve": c.curve}
             for c in ec if c.ec_bits < 224]
    evidence = {"min_dh_bits": min((c.dh_bits for c in dh), default=None),
                "min_ec_bits": min((c.ec_bits for c in ec), default=None)}
    caps = key_exchange_caps(evidence["min_dh_bits"]) if dh else ()
    if weak:
        smallest = min(w.get("dh_bits") or 10_000 for w in weak)
        return failed("weak key-exchange groups: " + ", ".join(
            sorted({f"DH {w['dh_bits']} bits" if w.get("dh_bits") else f"{w['curve']} {w['ec_bits']} bits"
                    for w in weak})), Severity.CRITICAL if smallest <= 1024 else None, weak=weak, **evidence).capped(*caps)
    return passed("every ephemeral key exchange uses a strong group", **evidence)
