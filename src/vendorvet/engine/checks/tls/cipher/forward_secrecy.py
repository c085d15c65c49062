"""tls.cipher.forward_secrecy — every connection should use ephemeral (EC)DH key exchange."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_CRYPTO
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Severity, Verdict, errored, failed, passed, warned

METADATA = {
    "id": "tls.cipher.forward_secrecy",
    "severity": "medium",
    "title": "Forward secrecy",
    "risk": "Without forward secrecy, anyone who later obtains the server's private key can decrypt recorded "
            "traffic. Static-RSA key exchange is also the precondition for ROBOT-style oracles.",
    "remediation": "Offer only ECDHE/DHE suites in TLS 1.2 and enable TLS 1.3; remove TLS_RSA_WITH_* suites.",
    "requires": ["tls"],
    "mappings": {**ISO_CRYPTO, "ssl_labs": "no forward secrecy caps at B"},
    "sources": ["badssl.com static-rsa", "SSL Labs SSL/TLS Server Rating Guide"],
    "scored": True,
}

CAP = GradeCap("B", "no forward secrecy", "keine Forward Secrecy")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.ciphers:
        return errored("no accepted cipher suite was recorded, so forward secrecy cannot be judged",
                       failed_commands=dict(tls.errors))
    fs = [c.name for c in tls.ciphers if c.forward_secret]
    static = sorted({c.name for c in tls.ciphers if not c.forward_secret})
    if not fs:
        return failed("no cipher suite with forward secrecy is accepted", static_suites=static).capped(CAP)
    if static:
        return warned(f"forward secrecy is offered, but {len(static)} static key-exchange suite(s) are also "
                      "accepted", Severity.LOW, static_suites=static, forward_secret_suites=len(set(fs)))
    return passed("every accepted suite uses ephemeral key exchange", forward_secret_suites=len(set(fs)))
