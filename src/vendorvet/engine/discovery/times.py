"""Dates as Google's API exports and the Admin console (English or German) write them, read as ISO UTC text."""

from __future__ import annotations

import datetime as dt
import re

from vendorvet.engine.discovery.model import iso

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
