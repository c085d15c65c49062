"""location.country — the countries of every resolved address; flagged when outside the EEA.

EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway (EEA Agreement). Countries with
an EU adequacy decision under Art. 45 GDPR are named in the evidence, because for them a transfer
needs no further safeguards; the United States only for organisations certified under the EU-US
Data Privacy Framework (Implementing Decision (EU) 2023/1795), which an address cannot tell.
"""

from __future__ import annotations

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, informed, not_applicable, passed, warned

EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU".split())
EEA = EU | {"IS", "LI", "NO"}
# https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en
ADEQUACY = frozenset("AD AR CA CH FO GB GG IL IM JE JP KR NZ UY".split())
ADEQUACY_PARTIAL = {"US": "only for organisations certified under the EU-US Data Privacy Framework"}

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
    outside = [c for c in countries if c not in EEA]
    evidence = {"addresses": rows, "countries": countries, "outside_eea": outside, "source": location.source}
    if not public:
        return not_applicable("every resolved address is internal (private, loopback or reserved): no country applies",
                              **evidence)
    if outside:
        adequacy = {c: ("adequacy decision" if c in ADEQUACY else ADEQUACY_PARTIAL[c])
                    for c in outside if c in ADEQUACY or c in ADEQUACY_PARTIAL}
        evidence["adequacy"] = adequacy
        without = [c for c in outside if c not in ADEQUACY]
        severity = Severity.MEDIUM if without else Severity.LOW
        return warned(f"addresses registered outside the EEA: {', '.join(outside)}"
                      + (f" (in the EEA: {', '.join(c for c in countries if c in EEA)})"
                         if any(c in EEA for c in countries) else ""),
                      severity, **evidence)
    if unknown and not countries:
        return informed(f"no country is known for {', '.join(unknown)}", **evidence)
    if unknown:
        return warned(f"in the EEA ({', '.join(countries)}), but no country is known for {', '.join(unknown)}",
                      Severity.LOW, **evidence)
    return passed(f"every address is registered in the EEA: {', '.join(countries)}", **evidence)
