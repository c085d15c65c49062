"""Tolerant CSV reading: delimiter sniffing, header matching across languages, bounded field sizes."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from typing import Iterator, TextIO

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.model import iso

MAX_FIELD = 256 * 1024
csv.field_size_limit(MAX_FIELD)


def norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def match_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map field name -> column index for the first header cell matching one of the field's aliases."""
    normalized = [norm_header(h) for h in header]
    found: dict[str, int] = {}
    for field_name, names in aliases.items():
        wanted = {norm_header(n) for n in names}
        for i, h in enumerate(normalized):
            if h in wanted and i not in found.values():
                found[field_name] = i
                break
    return found


def sniff_dialect(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def rows(fh: TextIO, name: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise DiscoveryInputError(f"not a readable CSV file near line {reader.line_num}: {exc}", file=name) from None


_TZ = re.compile(r"\s*(?:(GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?|(UTC|GMT|(?<![A-Za-z])Z))\s*$", re.I)
_ZONES = {"MEZ": 1, "CET": 1, "MESZ": 2, "CEST": 2}
_ZONE = re.compile(r"\s+(MEZ|MESZ|CET|CEST)$", re.I)
_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p", "%b %d, %Y %I:%M:%S %p", "%B %d, %Y, %I:%M:%S %p", "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y, %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
)


def parse_time(text: str) -> str | None:
    """ISO UTC text for the date formats of API exports and the Admin console (EN/DE); None if unknown."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        return iso(value)
    except ValueError:
        pass
    offset = dt.timezone.utc
    z = _ZONE.search(text)
    if z:
        offset = dt.timezone(dt.timedelta(hours=_ZONES[z.group(1).upper()]))
        text = text[: z.start()]
    m = _TZ.search(text)
    if m:
        if m.group(2):
            hours = int(m.group(2))
            minutes = int(m.group(3) or 0) * (1 if hours >= 0 else -1)
            offset = dt.timezone(dt.timedelta(hours=hours, minutes=minutes))
        text = text[: m.start()].strip()
    for fmt in _FORMATS:
        try:
            return iso(dt.datetime.strptime(text, fmt).replace(tzinfo=offset))
        except ValueError:
            continue
    return None
