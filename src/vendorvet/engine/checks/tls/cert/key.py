"""tls.cert.key — the leaf key must be RSA ≥ 2048 or EC ≥ 256 bits."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO, key_exchange_caps, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, failed, passed

METADATA = {
    "id": "tls.cert.key",
    "severity": "high",
    "title": "Strong certificate key",
    "risk": "RSA keys under 2048 bits and small curves can be factored or broken, letting an attacker "
            "impersonate the server.",
    "remediation": "Re-issue the certificate with an RSA 2048+ (3072 preferred) or ECDSA P-256+ key.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "ssl_labs": "RSA < 2048 caps at B; < 1024 at F; exponent 1 at F"},
    "sources": ["badssl.com rsa1024", "BSI TR-02102-2"],
    "scored": True,
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain:
        return unknown("the certificate key", tls, "certificate_info")
    leaf = tls.leaf
    evidence = {"key_type": leaf.key_type, "key_bits": leaf.key_bits}
    caps = key_exchange_caps(leaf.key_bits) if leaf.key_type == "RSA" else ()
    if leaf.key_type in ("RSA", "DSA"):
        if leaf.rsa_exponent == 1:
            return failed("the RSA public exponent is 1 (no encryption at all)", Severity.CRITICAL,
                          **evidence).capped(*caps)
        if leaf.key_bits < 2048:
            return failed(f"{leaf.key_type} key of {leaf.key_bits} bits (< 2048)",
                          Severity.CRITICAL if leaf.key_bits < 1024 else None, **evidence).capped(*caps)
        if leaf.key_type == "DSA":
            return failed("DSA certificate keys are no longer supported by clients", **evidence)
    elif leaf.key_type == "EC" and leaf.key_bits < 256:
        return failed(f"EC key of {leaf.key_bits} bits (< 256)", **evidence)
    return passed(f"{leaf.key_type} {leaf.key_bits} bits", **evidence)
