"""tls.cert.signature — no SHA-1 or MD5 signatures in the served chain (the root's self-signature is exempt)."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_TRANSPORT, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

WEAK = ("md2", "md4", "md5", "sha1")

METADATA = {
    "id": "tls.cert.signature",
    "severity": "high",
    "title": "Strong certificate signatures",
    "risk": "SHA-1 and MD5 signatures can be forged with chosen-prefix collisions (SHAttered, Flame).",
    "remediation": "Re-issue the certificate (and any intermediate) with SHA-256 or stronger.",
    "requires": ["tls"],
    "mappings": {**ISO_TRANSPORT, "ssl_labs": "SHA-1: grade T; MD2/MD5: F"},
    "sources": ["badssl.com sha1-intermediate", "CA/Browser Forum Baseline Requirements §7.1.3"],
    "scored": True,
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain:
        return unknown("the certificate signatures", tls, "certificate_info")
    weak = [{"subject": c.subject, "signature_hash": c.signature_hash} for c in tls.chain
            if c.signature_hash.lower() in WEAK and not c.self_signed]
    leaf_hash = tls.leaf.signature_hash.lower()
    if leaf_hash in ("md5", "md2"):  # SSL Labs: MD2/MD5 gives F (even on a self-signed leaf)
        caps = (GradeCap("F", f"{leaf_hash.upper()} certificate signature", f"{leaf_hash.upper()}-Zertifikatssignatur"),)
    else:
        caps = (GradeCap("F", "SHA-1 certificate signature (T: not trusted)",
                         "SHA-1-Zertifikatssignatur (T: nicht vertrauenswürdig)"),) if weak else ()
    if weak:
        return failed("weak signature: " + ", ".join(f"{w['subject']} ({w['signature_hash'].upper()})"
                                                     for w in weak), weak=weak).capped(*caps)
    return passed("every served certificate uses a strong signature hash",
                  hashes=sorted({c.signature_hash for c in tls.chain})).capped(*caps)
