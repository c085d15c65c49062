"""tls.cert.expired — every certificate in the chain must be inside its validity period."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_TRANSPORT, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Severity, Verdict, failed, passed

METADATA = {
    "id": "tls.cert.expired",
    "severity": "critical",
    "title": "Certificate within its validity period",
    "risk": "Clients reject an expired or not-yet-valid certificate, or — worse — integrations get configured "
            "to skip verification, which opens the door to interception.",
    "remediation": "Renew the certificate and automate renewal (ACME).",
    "requires": ["tls"],
    "mappings": {**ISO_TRANSPORT, "ssl_labs": "expired certificate: grade T"},
    "sources": ["badssl.com expired", "RFC 5280 §4.1.2.5"],
    "scored": True,
}

CAP = GradeCap("F", "certificate expired or not yet valid (T: not trusted)",
               "Zertifikat abgelaufen oder noch nicht gültig (T: nicht vertrauenswürdig)")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain:
        return unknown("the certificate", tls, "certificate_info")
    now = facts.now
    leaf = tls.leaf
    if leaf.not_after < now:
        days = (now - leaf.not_after).days
        return failed(f"the certificate expired on {leaf.not_after:%Y-%m-%d} ({days} days ago)",
                      not_after=leaf.not_after.isoformat(), subject=leaf.subject).capped(CAP)
    if leaf.not_before > now:
        return failed(f"the certificate is not valid before {leaf.not_before:%Y-%m-%d}",
                      not_before=leaf.not_before.isoformat(), subject=leaf.subject).capped(CAP)
    stale = [c for c in tls.chain[1:] if c.not_after < now or c.not_before > now]
    if stale:
        return failed("an intermediate certificate is outside its validity period", Severity.HIGH,
                      certificates=[{"subject": c.subject, "not_after": c.not_after.isoformat()} for c in stale]).capped(CAP)
    return passed(f"valid until {leaf.not_after:%Y-%m-%d}", not_after=leaf.not_after.isoformat(),
                  not_before=leaf.not_before.isoformat())
