"""location.country — the countries of every resolved address; flagged when outside the EEA.

EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway (EEA Agreement). Countries with
an EU adequacy decision under Art. 45 GDPR in force on the day of the scan are named in the evidence,
because for them a transfer needs no further safeguards; the United States only for organisations
certified under the EU-US Data Privacy Framework (Implementing Decision (EU) 2023/1795), which an address
cannot tell. Both lists come from ``content/eea_adequacy.yaml`` through :mod:`vendorvet.engine.reference`,
the same source as the transfer engine's.
"""

from __future__ import annotations

from vendorvet.engine import reference
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, informed, not_applicable, passed, warned

# Adequacy conditions an address cannot tell (the importer must be certified): named, but no adequacy.
PARTIAL = {"dpf": "only for organisations certified under the EU-US Data Privacy Framework"}


def __getattr__(name: str):
    """``EEA`` (kept importable for monitoring) comes from the reference data, loaded when first asked."""
    if name == "EEA":
        return reference.eea()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

METADATA = {
    "id": "location.country",
    "severity": "medium",
    "title": "Country of the endpoint addresses",
    "risk": "An API served from outside the EEA means personal data sent to it leaves the EEA: a third-country "
            "transfer that needs an adequacy decision or safeguards (Art. 44 ff. GDPR) and a contract that names it.",
    "remediation": "Compare the countries with those named in the contract and the DPA; ask the vendor for an EU "
                   "region or EU endpoint, or document the transfer basis (adequacy decision, SCCs with a transfer "
                   "impact assessment). CDN or anycast addresses may be registered elsewhere than the data is kept.",
    "requires": ["location"],
    "mappings": {"gdpr": ["44", "45", "46"], "iso27001_2022": ["A.5.34"]},
    "sources": ["RIR delegation statistics (AFRINIC, APNIC, ARIN, LACNIC, RIPE NCC)", "EEA Agreement",
                "European Commission adequacy decisions"],
}


def check(facts: ScanFacts) -> Verdict:
    location = facts.location.value
    rows = [{"address": a.address, "country": a.country, "public": a.public, **({"note": a.note} if a.note else {})}
            for a in location.addresses]
    public = [a for a in location.addresses if a.public]
    countries = sorted({a.country for a in public if a.country})
    unknown = [a.address for a in public if not a.country]
    eea = reference.eea()
    outside = [c for c in countries if c not in eea]
    evidence = {"addresses": rows, "countries": countries, "outside_eea": outside, "source": location.source}
    if not public:
        return not_applicable("every resolved address is internal (private, loopback or reserved): no country applies",
                              **evidence)
    if outside:
        decisions = {c: d for c in outside if (d := reference.adequacy_on(c, facts.now.date())) is not None}
        evidence["adequacy"] = {c: PARTIAL.get(d.condition, "adequacy decision") for c, d in decisions.items()}
        without = [c for c in outside if c not in decisions or decisions[c].condition in PARTIAL]
        severity = Severity.MEDIUM if without else Severity.LOW
        return warned(f"addresses registered outside the EEA: {', '.join(outside)}"
                      + (f" (in the EEA: {', '.join(c for c in countries if c in eea)})"
                         if any(c in eea for c in countries) else ""),
                      severity, **evidence)
    if unknown and not countries:
        return informed(f"no country is known for {', '.join(unknown)}", **evidence)
    if unknown:
        return warned(f"in the EEA ({', '.join(countries)}), but no country is known for {', '.join(unknown)}",
                      Severity.LOW, **evidence)
    return passed(f"every address is registered in the EEA: {', '.join(countries)}", **evidence)
