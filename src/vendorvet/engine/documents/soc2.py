"""SOC 2 report (Type 1 / Type 2), English and German."""

from __future__ import annotations

import re

from vendorvet.engine.documents.rules import DATE, Hit, date_range, first, labelled, organisation, parse_date
from vendorvet.engine.documents.text import Page

KIND = "soc2_report"
CRITERIA = {
    "security": r"security|sicherheit", "availability": r"availability|verfügbarkeit",
    "processing_integrity": r"processing integrity|verarbeitungsintegrität",
    "confidentiality": r"confidentiality|vertraulichkeit", "privacy": r"privacy|datenschutz",
}
# Opinion wording, strongest first: a disclaimer or adverse opinion also contains "in our opinion".
OPINIONS = [
    ("disclaimer", r"we do not express an opinion|disclaimer of opinion|geben (?:wir )?kein prüfungsurteil ab|"
                   r"erklären die nichtabgabe"),
    ("adverse", r"adverse opinion|versagungsvermerk|versagen (?:wir )?(?:unser|das) prüfungsurteil|"
                r"because of the significance of the matters?"),
    ("qualified", r"qualified opinion|except for the (?:matter|effects|possible effects)|mit ausnahme der (?:auswirkungen|sachverhalte?)|"
                  r"eingeschränktes prüfungsurteil"),
    ("unmodified", r"in our opinion, in all material respects|nach unserer beurteilung .*in allen wesentlichen belangen|"
                   r"in allen wesentlichen belangen"),
]
EXCEPTION_RE = re.compile(r"(?<!no )(?<!keine )\b(exceptions? noted|abweichung(?:en)? festgestellt)", re.IGNORECASE)
NO_EXCEPTION_RE = re.compile(r"\b(no (?:relevant )?exceptions noted|keine abweichung(?:en)? festgestellt)", re.IGNORECASE)
CONTROL_ID = re.compile(r"\b(CC\d+\.\d+|[A-Z]{1,4}\d*[.-]\d+(?:\.\d+)?)\b")
SECTION_END = re.compile(r"^(section|abschnitt|teil|complementary|komplementäre|\d+\.?\s+[A-ZÄÖÜ])", re.IGNORECASE)


def report_type(pages: list[Page]) -> Hit | None:
    return first(pages[:3], r"\bSOC\s*2\S*\s+(?:Type|Typ)\s*(1|2|I{1,2})\b|\b(?:Type|Typ)\s*(1|2|I{1,2})\s+(?:report|bericht)",
                 pick=lambda m: "Type " + {"I": "1", "II": "2"}.get(m.group(1) or m.group(2), m.group(1) or m.group(2)))


def period(pages: list[Page], kind: Hit | None) -> tuple[Hit, Hit] | None:
    if kind and kind.value == "Type 1":
        hit = first(pages, rf"(?:as of|zum|per|stand)\s+({DATE})", pick=lambda m: parse_date(m.group(1)))
        return (hit, hit) if hit else None
    return date_range(pages, near=r"period|zeitraum|throughout|during") or date_range(pages)


def opinion(pages: list[Page]) -> Hit | None:
    for value, pattern in OPINIONS:
        hit = first(pages, pattern, pick=lambda m, v=value: v)
        if hit:
            return hit
    return None


def opinion_page_and_line(pages: list[Page], hit: Hit | None) -> int | None:
    if not hit:
        return None
    page = next(p for p in pages if p.number == hit.page)
    return page.lines.index(hit.text) if hit.text in page.lines else 0


def service_auditor(pages: list[Page], opinion_hit: Hit | None) -> Hit | None:
    hit = labelled(pages, [r"Service auditor", r"Prüfer", r"Wirtschaftsprüfer", r"Auditor"], pick=organisation)
    if hit or not opinion_hit:
        return hit
    # The firm signs below the opinion paragraph: the first line after it that is an organisation name.
    start = opinion_page_and_line(pages, opinion_hit) or 0
    for page in pages:
        if page.number < opinion_hit.page:
            continue
        for line in page.lines[(start if page.number == opinion_hit.page else 0):]:
            name = organisation(line)
            if name and len(name) >= len(line.strip()) - 2:
                return Hit(name, page.number, line)
        if page.number > opinion_hit.page + 1:
            break
    return None


def service_organization(pages: list[Page]) -> Hit | None:
    return (labelled(pages, [r"Service organi[sz]ation", r"Dienstleistungsunternehmen", r"Serviceorganisation"],
                     pick=organisation)
            or first(pages, rf"(?:report on|bericht über)\s+(?:the\s+)?(?:description of\s+)?({r'[A-ZÄÖÜ].*?'})['’]s\s+description",
                     pick=lambda m: organisation(m.group(1) + " ") or None)
            or first(pages, r"(?:to the management of|an die geschäftsführung der|an den vorstand der)\s+(.+)",
                     pick=lambda m: organisation(m.group(1))))


def section_rows(pages: list[Page], heading: str) -> tuple[list[str], int, list[str]] | None:
    """The table rows / bullet lines under a heading, until the list ends."""
    heading_re = re.compile(heading, re.IGNORECASE)
    for page in pages:
        for index, line in enumerate(page.lines):
            if not heading_re.match(line):
                continue
            rows, source = [], [line]
            for following in page.lines[index + 1:index + 40]:
                if " | " in following or following.lstrip().startswith(("•", "- ", "– ")):
                    rows.append(following)
                    source.append(following)
                elif rows:
                    break
            if rows:
                return rows, page.number, source
    return None


def subservice_organizations(pages: list[Page]) -> Hit | None:
    found = section_rows(pages, r"^(?:\d+(?:\.\d+)*\s+)?(subservice organi[sz]ations?|subdienstleister|"
                                r"unterauftragnehmer|sub-?dienstleistungsunternehmen)\b")
    if not found:
        return None
    rows, page, source = found
    names = []
    for row in rows:
        cell = re.split(r" \| | – | - |\(", row.lstrip("•-– ").strip())[0].strip(" ,;")
        if not cell or re.fullmatch(r"(name|subservice organi[sz]ation|subdienstleister|unternehmen)", cell, re.I):
            continue
        names.append(cell)
    return Hit(names, page, "\n".join(source)) if names else None


def trust_services_criteria(pages: list[Page]) -> Hit | None:
    for page in pages:
        for index, line in enumerate(page.lines):
            if not re.search(r"trust services criteria|vertrauensdienstekriterien|trust service criteria", line, re.I):
                continue
            if re.search(r"TSP|section 100|abschnitt 100", line):
                continue  # the title of the AICPA criteria document names all five
            sentence = line + " " + (page.lines[index + 1] if index + 1 < len(page.lines) else "")
            sentence = re.split(r"(?<=[a-z])\.\s", sentence)[0]
            tail = re.split(r"trust services? criteria|vertrauensdienstekriterien", sentence, flags=re.I, maxsplit=1)[1]
            found = [name for name, pattern in CRITERIA.items() if re.search(pattern, tail[:160], re.IGNORECASE)]
            if found:
                return Hit(found, page.number, sentence.strip())
    return None


def exceptions(pages: list[Page]) -> Hit | None:
    exceptional: list[tuple[int, str]] = []
    any_result = None
    for page in pages:
        for line in page.lines:
            if NO_EXCEPTION_RE.search(line):
                any_result = any_result or (page.number, line)
            elif EXCEPTION_RE.search(line):
                exceptional.append((page.number, line))
    if not exceptional and not any_result:
        return None
    if not exceptional:
        return Hit(0, any_result[0], any_result[1])
    controls = set()
    for _page, line in exceptional:
        m = CONTROL_ID.search(line)
        controls.add(m.group(1) if m else line)
    return Hit(len(controls), exceptional[0][0], "\n".join(line for _p, line in exceptional[:5]))


def extract(pages: list[Page]) -> tuple[dict[str, Hit], list[str]]:
    kind = report_type(pages)
    fields: dict[str, Hit | None] = {"report_type": kind}
    span = period(pages, kind)
    if span:
        fields["period_start"], fields["period_end"] = span
    opinion_hit = opinion(pages)
    fields["opinion"] = opinion_hit
    if not kind or kind.value == "Type 2":
        fields["exceptions"] = exceptions(pages)
    fields["service_auditor"] = service_auditor(pages, opinion_hit)
    fields["service_organization"] = service_organization(pages)
    fields["subservice_organizations"] = subservice_organizations(pages)
    fields["trust_services_criteria"] = trust_services_criteria(pages)
    return {name: hit for name, hit in fields.items() if hit}, []
