"""Shared, readable building blocks for the per-document rules: dates, labelled values, date ranges.

A rule finds words on a page and returns a :class:`Hit` — the value plus the page and the line(s) it came
from. A rule that finds nothing returns ``None``; the field is then absent (never guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vendorvet.engine.documents.text import Page

MONTHS = {
    "january": 1, "jan": 1, "januar": 1, "jänner": 1, "february": 2, "feb": 2, "februar": 2, "march": 3,
    "mar": 3, "märz": 3, "maerz": 3, "april": 4, "apr": 4, "may": 5, "mai": 5, "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12, "dezember": 12,
    "dez": 12,
}
_MONTH = "(?:" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"
DATE = (rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}"
        rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})")
DATE_RE = re.compile(DATE, re.IGNORECASE)
RANGE_RE = re.compile(
    rf"(?:from\s+|vom\s+|von\s+)?(?P<start>{DATE})\s*(?:to|through|until|thru|bis(?:\s+zum)?|–|—|-)\s*"
    rf"(?P<end>{DATE})", re.IGNORECASE)
# An organisation name ends in its legal form; this keeps a rule from swallowing the rest of a sentence.
LEGAL_FORM = (r"(?:Inc\.|LLP|LLC|L\.L\.C\.|Ltd\.?|Limited|GmbH\s*&\s*Co\.\s*KG|GmbH|gGmbH|AG|SE|KG|S\.A\.|SAS|"
              r"B\.V\.|N\.V\.|plc|Corporation|Corp\.|PartG\s*mbB|Wirtschaftsprüfungsgesellschaft)")
ORG = rf"[A-ZÄÖÜ0-9][\w&.,'’\- ]*\s{LEGAL_FORM}(?=$|[\s,;:)])"
ORG_RE = re.compile(ORG)


@dataclass(frozen=True)
class Hit:
    value: object
    page: int
    text: str

    def as_json(self) -> dict:
        return {"value": self.value, "page": self.page, "text": self.text}


def parse_date(raw: str) -> str | None:
    """``YYYY-MM-DD`` for an English or German written date, or ``None`` if it is not a real date."""
    raw = raw.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})", raw):
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        if m := re.fullmatch(r"(\d{1,2})\.?\s+([^\d\s]+?)\.?\s+(\d{4})", raw):
            return date(int(m[3]), MONTHS[m[2].lower()], int(m[1])).isoformat()
        if m := re.fullmatch(r"([^\d\s]+?)\.?\s+(\d{1,2}),?\s+(\d{4})", raw):
            return date(int(m[3]), MONTHS[m[1].lower()], int(m[2])).isoformat()
    except (KeyError, ValueError):
        return None
    return None


def lines(pages: list[Page]):
    """Every (page number, index, line) in reading order."""
    for page in pages:
        for index, line in enumerate(page.lines):
            yield page.number, index, line


def _next_line(pages: list[Page], number: int, index: int) -> str:
    page = pages[[p.number for p in pages].index(number)]
    return page.lines[index + 1] if index + 1 < len(page.lines) else ""


def labelled(pages: list[Page], labels: list[str], value: str | None = None, pick=None) -> Hit | None:
    """The value written after one of ``labels`` (``Label: value``, a table row ``Label | value``, or the
    label alone on its line with the value on the next). ``value`` is a regex the value must match."""
    label_re = re.compile(r"(?:^|\|\s*)(?:" + "|".join(labels) + r")\s*(?:[:|]\s*)?", re.IGNORECASE)
    for number, index, line in lines(pages):
        m = label_re.search(line)
        if not m:
            continue
        rest, source = line[m.end():].strip(" :|"), line
        if not rest:
            rest = _next_line(pages, number, index).strip(" :|")
            source = f"{line}\n{rest}"
        if value:
            found = re.search(value, rest, re.IGNORECASE)
            if not found:
                continue
            rest = found.group(0)
        else:
            rest = rest.split(" | ")[0].strip()
        result = pick(rest) if pick else rest
        if result:
            return Hit(result, number, source)
    return None


def labelled_date(pages: list[Page], labels: list[str]) -> Hit | None:
    return labelled(pages, labels, value=DATE, pick=parse_date)


def first(pages: list[Page], pattern: str, pick=None, flags=re.IGNORECASE) -> Hit | None:
    """The first line matching ``pattern``; the value is group 1 (or what ``pick`` makes of the match)."""
    regex = re.compile(pattern, flags)
    for number, _index, line in lines(pages):
        m = regex.search(line)
        if m:
            result = pick(m) if pick else (m.group(1) if m.groups() else m.group(0)).strip()
            if result:
                return Hit(result, number, line)
    return None


def date_range(pages: list[Page], near: str | None = None, last: bool = False) -> tuple[Hit, Hit] | None:
    """The first (or last) ``DATE to DATE`` range, optionally only on lines matching ``near`` (the line
    before is joined, since a sentence often wraps between the keyword and the dates)."""
    found = []
    for page in pages:
        for index, line in enumerate(page.lines):
            joined = (page.lines[index - 1] + " " + line) if index else line
            if near and not re.search(near, joined, re.IGNORECASE):
                continue
            m = RANGE_RE.search(line) or RANGE_RE.search(joined)
            if not m:
                continue
            start, end = parse_date(m["start"]), parse_date(m["end"])
            if start and end and start <= end:
                found.append((Hit(start, page.number, line), Hit(end, page.number, line)))
                if not last:
                    return found[0]
    return found[-1] if found else None


def organisation(text: str) -> str | None:
    m = ORG_RE.search(text)
    return m.group(0).strip(" ,") if m else None
