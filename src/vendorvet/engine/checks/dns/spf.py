"""dns.spf — the registrable domain publishes an SPF policy that rejects other senders."""

from __future__ import annotations

from vendorvet.engine.collectors.dns import SPF_LOOKUP_LIMIT
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, errored, failed, not_applicable, passed, warned

METADATA = {
    "id": "dns.spf",
    "severity": "medium",
    "title": "SPF policy",
    "risk": "Without a strict SPF policy anyone can send mail that appears to come from the vendor — the basis "
            "of invoice fraud and phishing against its customers.",
    "remediation": "Publish one TXT record 'v=spf1 … -all' listing the vendor's real senders, with at most 10 "
                   "DNS-querying terms.",
    "requires": ["dns"],
    "mappings": {"bsi_it_grundschutz": ["APP.5.3"], "iso27001_2022": ["A.8.21"]},
    "sources": ["RFC 7208", "Bitsight SPF risk vector"],
}


def check(facts: ScanFacts) -> Verdict:
    dns = facts.dns.value
    if not dns.domain:
        return not_applicable("the target is an IP address; there is no mail domain to check")
    if dns.spf is None:
        return errored(f"could not look up SPF: {dns.errors.get('spf', 'unknown error')}")
    evidence = {"domain": dns.domain, "records": list(dns.spf), "dns_lookups": dns.spf_lookups}
    if not dns.spf:
        return failed(f"{dns.domain} publishes no SPF record", **evidence)
    if len(dns.spf) > 1:
        return failed(f"{dns.domain} publishes {len(dns.spf)} SPF records (RFC 7208: permerror)", **evidence)
    terms = dns.spf[0].lower().split()
    if dns.spf_lookups is not None and dns.spf_lookups > SPF_LOOKUP_LIMIT:
        return failed(f"the SPF policy needs {dns.spf_lookups} DNS lookups (limit {SPF_LOOKUP_LIMIT}: permerror)",
                      **evidence)
    qualifier = next((t[:-3] or "+" for t in terms if t.endswith("all") and t.lstrip("+-~?") == "all"), None)
    if qualifier == "-":
        return passed(f"{dns.domain}: SPF ends in -all", **evidence)
    if qualifier == "~":
        return warned(f"{dns.domain}: SPF ends in ~all (soft fail): spoofed mail is only marked", **evidence)
    if qualifier is None and any(t.startswith("redirect=") for t in terms):
        return passed(f"{dns.domain}: SPF delegates its policy with redirect=", **evidence)
    shown = "no 'all' term" if qualifier is None else f"{qualifier}all"
    return failed(f"{dns.domain}: SPF with {shown} lets anyone send as the domain", **evidence)
