"""BSI C5 attestation (Type 1 / Type 2), German and English."""

from __future__ import annotations

from vendorvet.engine.documents.rules import DATE, Hit, date_range, first, labelled, organisation, parse_date
from vendorvet.engine.documents.soc2 import opinion, service_auditor
from vendorvet.engine.documents.text import Page

KIND = "c5_attestation"


def extract(pages: list[Page]) -> tuple[dict[str, Hit], list[str]]:
    kind = first(pages[:3], r"\bC5\S*\s+(?:Type|Typ)\s*(1|2|I{1,2})\b|\b(?:Type|Typ)[- ]?(1|2|I{1,2})[- ](?:Testat|attestation|report|Bericht|Prüfung)",
                 pick=lambda m: "Type " + {"I": "1", "II": "2"}.get(m.group(1) or m.group(2), m.group(1) or m.group(2)))
    fields: dict[str, Hit | None] = {"type": kind}
    if kind and kind.value == "Type 1":
        hit = first(pages, rf"(?:as of|zum|per|stichtag)\s+({DATE})", pick=lambda m: parse_date(m.group(1)))
        if hit:
            fields["period_start"] = fields["period_end"] = hit
    else:
        span = date_range(pages, near=r"period|zeitraum|prüfzeitraum") or date_range(pages)
        if span:
            fields["period_start"], fields["period_end"] = span
    fields["service_organization"] = (
        labelled(pages, [r"Cloud[- ]Anbieter", r"Cloud service provider", r"Anbieter", r"Service organi[sz]ation"],
                 pick=organisation)
        or first(pages, r"(?:to the management of|an die geschäftsführung der|an den vorstand der)\s+(.+)",
                 pick=lambda m: organisation(m.group(1))))
    auditor = labelled(pages, [r"Prüfer", r"Auditor", r"Wirtschaftsprüfer"], pick=organisation)
    fields["auditor"] = auditor or service_auditor(pages, opinion(pages))
    return {name: hit for name, hit in fields.items() if hit}, []
