"""tls.cert.hostname — the certificate must name the host that was scanned."""

from __future__ import annotations

from vendorvet.engine.checks._helpers import ISO_TRANSPORT, unknown
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import GradeCap, Verdict, failed, passed

METADATA = {
    "id": "tls.cert.hostname",
    "severity": "high",
    "title": "Certificate matches the host name",
    "risk": "A certificate for another name is rejected by correct clients; integrations that accept it cannot "
            "tell the vendor from an interceptor.",
    "remediation": "Serve a certificate whose subjectAltName contains this host name.",
    "requires": ["tls"],
    "mappings": {**ISO_TRANSPORT, "ssl_labs": "name mismatch: grade M"},
    "sources": ["badssl.com wrong.host", "RFC 6125", "RFC 9525"],
    "scored": True,
}

CAP = GradeCap("F", "certificate name mismatch (M)", "Zertifikatsname passt nicht (M)")


def check(facts: ScanFacts) -> Verdict:
    tls = facts.tls.value
    if not tls.chain or tls.hostname_matches is None:
        return unknown("the certificate's names", tls, "certificate_info")
    leaf = tls.leaf
    names = list(leaf.san_dns) + list(leaf.san_ip)
    if tls.hostname_matches:
        return passed(f"{tls.host} is covered by the certificate", names=names)
    detail = f"{tls.host} is not among the certificate's names ({', '.join(names[:5]) or 'no subjectAltName'})"
    return failed(detail, host=tls.host, names=names, common_names=list(leaf.common_names)).capped(CAP)
