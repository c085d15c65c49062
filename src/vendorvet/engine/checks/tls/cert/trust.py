"""tls.cert.trust — the chain must lead to a trusted root (self-signed, untrusted root, incomplete chain fail)."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_TRANSPORT, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

METADATA = {
    "id": "tls.cert.trust",
    "severity": "critical",
    "title": "Certificate chain trusted",
    "risk": "An untrusted chain cannot be told apart from an attacker's certificate; clients must either fail "
            "or disable verification.",
    "remediation": "Use a certificate from a publicly trusted CA and send the complete intermediate chain. "
                   "For a system behind an internal CA, give the scanner that CA as trusted (a CA file).",
    "requires": ["tls"],
    "mappings": {**ISO_TRANSPORT, "ssl_labs": "untrusted or self-signed: grade T; chain issues cap at B"},
    "sources": ["badssl.com self-signed, untrusted-root, incomplete-chain"],
    "scored": True,
}

CAP_UNTRUSTED = GradeCap("F", "certificate chain not trusted (T: not trusted)",
                         "Zertifikatskette nicht vertrauenswürdig (T: nicht vertrauenswürdig)")
CAP_ORDER = GradeCap("B", "certificate chain sent in the wrong order", "Zertifikatskette in falscher Reihenfolge gesendet")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain or tls.trusted is None:
        return unknown("whether the chain is trusted", tls, "certificate_info")
    evidence = {"trust_stores": list(tls.trust_stores), "chain": [c.subject for c in tls.chain],
                "chain_in_order": tls.chain_in_order}
    order = (CAP_ORDER,) if tls.chain_in_order is False else ()  # SSL Labs: chain issues cap at B
    if not tls.trusted:
        return failed(tls.trust_error or "the chain does not lead to a trusted root", **evidence).capped(
            CAP_UNTRUSTED, *order)
    return passed("the chain leads to a trusted root", **evidence).capped(*order)
