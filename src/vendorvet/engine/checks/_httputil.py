"""Header parsing shared by HTTP checks: HSTS, HTTP dates, a small RFC 9651 structured-field subset."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

SIX_MONTHS = 15_768_000  # seconds, as the Observatory and SSL Labs count them


def parse_hsts(value: str) -> dict | None:
    """``{'max_age': int, 'include_subdomains': bool, 'preload': bool}`` or ``None`` if invalid."""
    directives: dict[str, str | None] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name, _, val = part.partition("=")
        name = name.strip().lower()
        if name in directives:
            return None  # RFC 6797 §6.1: directives must not repeat
        directives[name] = val.strip().strip('"') if val else None
    try:
        max_age = int(directives["max-age"])
    except (KeyError, TypeError, ValueError):
        return None
    if max_age < 0:
        return None
    return {"max_age": max_age, "include_subdomains": "includesubdomains" in directives,
            "preload": "preload" in directives}


def parse_http_date(value: str) -> dt.datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


_TOKEN = r"[A-Za-z*][A-Za-z0-9:/!#$%&'*+\-.^_`|~]*"
_ITEM = re.compile(r'\s*(?:"(?P<str>(?:[^"\\]|\\.)*)"|(?P<tok>' + _TOKEN + r')|@(?P<date>-?\d+)|(?P<num>-?\d+(?:\.\d+)?))')
_PARAM = re.compile(r';\s*(?P<key>[a-z*][a-z0-9_\-.*]*)(?:=(?:"(?P<str>(?:[^"\\]|\\.)*)"|(?P<num>-?\d+(?:\.\d+)?)'
                    r'|(?P<tok>' + _TOKEN + r')|\?(?P<bool>[01])))?')


def _bare(match: re.Match):
    if match.group("str") is not None:
        return match.group("str")
    if match.group("num") is not None:
        text = match.group("num")
        return float(text) if "." in text else int(text)
    if match.groupdict().get("date") is not None:
        return dt.datetime.fromtimestamp(int(match.group("date")), dt.timezone.utc)
    if match.groupdict().get("bool") is not None:
        return match.group("bool") == "1"
    if match.group("tok") is not None:
        return match.group("tok")
    return True


def parse_sf_list(value: str) -> list[tuple[object, dict]] | None:
    """RFC 9651 list of items with parameters (no inner lists); ``None`` when it does not parse."""
    items: list[tuple[object, dict]] = []
    pos, text = 0, value.strip()
    while pos < len(text):
        m = _ITEM.match(text, pos)
        if not m:
            return None
        item, pos = _bare(m), m.end()
        params: dict = {}
        while True:
            p = _PARAM.match(text, pos)
            if not p:
                break
            params[p.group("key")] = _bare(p)
            pos = p.end()
        items.append((item, params))
        rest = text[pos:].lstrip()
        if not rest:
            break
        if not rest.startswith(","):
            return None
        pos = len(text) - len(rest) + 1
    return items


def parse_sf_item(value: str):
    items = parse_sf_list(value)
    return items[0] if items and len(items) == 1 else None
