"""SOC 2 bridge (gap) letter: the period since the last report, and whose letter it is."""

from __future__ import annotations

from vendorvet.engine.documents.rules import Hit, date_range, first, labelled, organisation
from vendorvet.engine.documents.text import Page

KIND = "soc2_bridge_letter"


def extract(pages: list[Page]) -> tuple[dict[str, Hit], list[str]]:
    fields: dict[str, Hit | None] = {}
    span = (date_range(pages, near=r"bridge period|gap period|überbrückungszeitraum|zeitraum seit|since the end|"
                                   r"seit dem ende|bridge letter covers|dieses schreiben")
            or date_range(pages, last=True))
    if span:
        fields["period_start"], fields["period_end"] = span
    fields["service_organization"] = (
        labelled(pages, [r"Service organi[sz]ation", r"Dienstleistungsunternehmen", r"Company", r"Unternehmen"],
                 pick=organisation)
        or first(pages, r"(?:management of|on behalf of|geschäftsführung der|im namen der|management der)\s+(.+)",
                 pick=lambda m: organisation(m.group(1))))
    return {name: hit for name, hit in fields.items() if hit}, []
