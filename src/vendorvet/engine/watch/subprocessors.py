"""Sub-processor lists as published (an HTML table or a list) read into rows, and an order-free comparison."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from vendorvet import content
from vendorvet.engine.watch.extract import GROUP_END, GROUP_START, ROW_MARK, SPACE, html_raw_lines

NAME_HEADS = ("sub-processor", "subprocessor", "sub processor", "unterauftragsverarbeiter", "unterauftragnehmer",
              "name", "entity", "company", "firma", "anbieter", "dienstleister", "provider", "vendor", "unternehmen")
PURPOSE_HEADS = ("purpose", "zweck", "service", "function", "leistung", "tätigkeit", "activity", "description",
                 "beschreibung", "processing", "verarbeitung")
COUNTRY_HEADS = ("country", "countries", "land", "länder", "location", "standort", "sitz", "region", "ort")
ALIASES = {"usa": "US", "u.s.": "US", "u.s.a.": "US", "us": "US", "united states of america": "US",
           "vereinigte staaten": "US", "uk": "GB", "u.k.": "GB", "great britain": "GB", "england": "GB",
           "großbritannien": "GB", "deutschland": "DE", "the netherlands": "NL", "holland": "NL",
           "niederlande": "NL", "south korea": "KR", "korea": "KR", "russia": "RU", "czech republic": "CZ",
           "taiwan": "TW", "vietnam": "VN", "schweiz": "CH", "irland": "IE"}


@dataclass(frozen=True)
class Row:
    name: str
    purpose: str = ""
    country_text: str = ""
    countries: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return name_key(self.name)

    def as_dict(self) -> dict:
        return {"name": self.name, "purpose": self.purpose, "country": self.country_text,
                "countries": list(self.countries)}


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[.,()]", " ", text)
    text = re.sub(r"\b(inc|llc|ltd|limited|gmbh|ag|corp|corporation|co|se|sa|sas|bv|b v|plc|kg)\b", " ", text)
    return SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names = {}
    for code, labels in content.load("countries")["countries"].items():
        names[code.lower()] = code
        for label in labels.values():
            names[label.casefold()] = code
    names.update(ALIASES)
    return names


def countries_in(text: str) -> tuple[str, ...]:
    """ISO codes of the countries named in ``text`` ("USA, Ireland", "Deutschland / Irland"), in order."""
    names = _country_names()
    whole = text.strip().casefold()
    if whole in names:
        return (names[whole],)
    found: list[str] = []
    for part in re.split(r"[,;/&+\n]|\bund\b|\band\b|\(|\)", text):
        key = part.strip().strip(".").casefold()
        code = names.get(key) or names.get(key + ".")
        if code and code not in found and (len(key) > 2 or part.strip().isupper()):
            found.append(code)
    return tuple(found)


def _column(headers: list[str], heads: tuple[str, ...], taken: set[int]) -> int | None:
    for head in heads:
        for i, cell in enumerate(headers):
            if i not in taken and head in cell.casefold():
                return i
    return None


def _table_rows(rows: list[list[str]]) -> list[Row]:
    if not rows:
        return []
    header = rows[0]
    taken: set[int] = set()
    country = _column(header, COUNTRY_HEADS, taken)
    taken |= {country} if country is not None else set()
    name = _column(header, NAME_HEADS, taken)
    taken |= {name} if name is not None else set()
    purpose = _column(header, PURPOSE_HEADS, taken)
    body = rows[1:]
    if name is None or country is None:  # no header: name, purpose, country by position
        if len(header) != 3 or not countries_in(header[2]):
            return []
        name, purpose, country, body = 0, 1, 2, rows
    out = []
    for cells in body:
        if name >= len(cells) or not cells[name].strip():
            continue
        text = cells[country] if country < len(cells) else ""
        out.append(Row(cells[name].strip(), cells[purpose].strip() if purpose is not None and purpose < len(cells)
                       else "", text.strip(), countries_in(text)))
    return out


def _item_row(text: str) -> Row | None:
    parts = [p.strip() for p in re.split(r"\s[–—|-]\s|:\s|;\s|\t", text) if p.strip()]
    if len(parts) < 2:
        match = re.match(r"^(.+?)\s*\(([^)]*)\)\s*$", text)
        parts = [match.group(1), match.group(2)] if match else parts
    country_part = next((p for p in reversed(parts) if countries_in(p)), None)
    if country_part is None or parts[0] == country_part:
        return None
    rest = [p for p in parts[1:] if p is not country_part]
    return Row(parts[0], " – ".join(rest), country_part, countries_in(country_part))


def parse_rows(html: str) -> list[Row]:
    """The sub-processors listed on a page: every table with a name and a country column (or three columns whose
    third names a country), else list items that name a country. Duplicates (same name) merged."""
    lines = html_raw_lines(html)
    tables: list[list[list[str]]] = []
    items: list[str] = []
    stack: list[list[list[str]]] = []
    for line in lines:
        if line == GROUP_START:
            stack.append([])
        elif line == GROUP_END:
            if stack:
                group = stack.pop()
                if group:
                    tables.append(group)
        elif line.startswith(ROW_MARK) and stack:
            text = line[len(ROW_MARK):]
            if " | " in text:
                stack[-1].append(text.split(" | "))
            else:
                items.append(text)
    rows: list[Row] = []
    for table in tables:
        if len(table[0]) > 1:
            rows.extend(_table_rows(table))
    if not rows:
        rows = [row for row in (_item_row(text) for text in items) if row is not None]
    merged: dict[str, Row] = {}
    for row in rows:
        if row.key and row.key not in merged:
            merged[row.key] = row
    return sorted(merged.values(), key=lambda r: r.key)


@dataclass
class RowChanges:
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[tuple[Row, Row]] = field(default_factory=list)  # (before, after): country or purpose changed
    new_countries: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.new_countries)


def compare(before: list[Row], after: list[Row]) -> RowChanges:
    """What changed between two lists of rows, ignoring their order and letter case."""
    old = {row.key: row for row in before}
    new = {row.key: row for row in after}
    changes = RowChanges()
    changes.added = [new[k] for k in sorted(new) if k not in old]
    changes.removed = [old[k] for k in sorted(old) if k not in new]
    for k in sorted(set(old) & set(new)):
        a, b = old[k], new[k]
        if set(a.countries) != set(b.countries) or SPACE.sub(" ", a.purpose).casefold() != \
                SPACE.sub(" ", b.purpose).casefold():
            changes.changed.append((a, b))
    seen = {c for row in before for c in row.countries}
    changes.new_countries = sorted({c for row in after for c in row.countries} - seen)
    return changes


def row_from_dict(data: dict) -> Row:
    return Row(data.get("name", ""), data.get("purpose", ""), data.get("country", ""),
               tuple(data.get("countries") or ()))
