"""dns.dmarc — a DMARC policy of quarantine or reject (p=none is a warning, missing a failure)."""

from __future__ import annotations

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, errored, failed, not_applicable, passed, warned

METADATA = {
    "id": "dns.dmarc",
    "severity": "medium",
    "title": "DMARC policy",
    "risk": "Without an enforcing DMARC policy, receivers deliver mail that fails SPF/DKIM for the vendor's domain.",
    "remediation": "Publish '_dmarc' TXT 'v=DMARC1; p=reject; rua=mailto:…' (or p=quarantine) after monitoring.",
    "requires": ["dns"],
    "mappings": {"bsi_it_grundschutz": ["APP.5.3"], "iso27001_2022": ["A.8.21"]},
    "sources": ["RFC 7489", "Bitsight DMARC risk vector (p=none graded BAD)"],
}


def tags(record: str) -> dict[str, str]:
    out = {}
    for part in record.split(";"):
        key, _, value = part.partition("=")
        if key.strip():
            out[key.strip().lower()] = value.strip()
    return out


def check(facts: ScanFacts) -> Verdict:
    dns = facts.dns.value
    if not dns.domain:
        return not_applicable("the target is an IP address; there is no mail domain to check")
    if dns.dmarc is None:
        return errored(f"could not look up DMARC: {dns.errors.get('dmarc', 'unknown error')}")
    evidence = {"domain": dns.domain, "records": list(dns.dmarc)}
    if not dns.dmarc:
        return failed(f"_dmarc.{dns.domain} publishes no DMARC record", **evidence)
    if len(dns.dmarc) > 1:
        return failed(f"_dmarc.{dns.domain} publishes {len(dns.dmarc)} DMARC records; receivers ignore them all",
                      **evidence)
    policy = tags(dns.dmarc[0])
    p = policy.get("p", "").lower()
    evidence.update(policy=p, pct=policy.get("pct", "100"))
    if p in ("reject", "quarantine"):
        if policy.get("pct", "100").strip() not in ("100", ""):
            return warned(f"DMARC p={p} but only for pct={policy['pct']}% of mail", **evidence)
        return passed(f"DMARC p={p}", **evidence)
    if p == "none":
        return warned("DMARC p=none: failing mail is reported, not stopped", **evidence)
    return failed(f"the DMARC record has no valid policy (p={p or 'missing'})", **evidence)
