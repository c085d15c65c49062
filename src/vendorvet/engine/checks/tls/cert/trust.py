"""tls.cert.trust — the chain must lead to a trusted root (self-signed, untrusted root, incomplete chain fail)."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_TRANSPORT, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, failed, passed

METADATA = {
    "id": "tls.cert.trust",
    "severity": "critical",
    "title": "Certificate chain trusted",
    "risk": "An untrusted chain cannot be told apart from an attacker's certificate; clients must either fail "
            "or disable verification.",
    "remediation": "Use a certificate from a publicly trusted CA and send the complete intermediate chain. "
                   "For internal CAs, pass the CA with --ca-file.",
    "requires": ["tls"],
    "mappings": {**ISO_TRANSPORT, "ssl_labs": "untrusted or self-signed: grade T; chain issues cap at B"},
    "sources": ["badssl.com self-signed, untrusted-root, incomplete-chain"],
    "scored": True,
}


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain or tls.trusted is None:
        return unknown("whether the chain is trusted", tls, "certificate_info")
    evidence = {"trust_stores": list(tls.trust_stores), "chain": [c.subject for c in tls.chain],
                "chain_in_order": tls.chain_in_order}
    if not tls.trusted:
        return failed(tls.trust_error or "the chain does not lead to a trusted root", **evidence)
    return passed("the chain leads to a trusted root", **evidence)
