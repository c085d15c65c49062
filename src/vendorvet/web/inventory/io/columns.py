"""Import/export columns: header matching, value parsing and formatting, formula neutralising.

The column set and the German/English spellings are data (``content/import_columns.yaml``);
this module turns them into lookups. Stored values are the model's keys; on import,
keys, English and German labels and the listed aliases are all accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vendorvet import content
from vendorvet.engine import spreadsheet
from vendorvet.web.inventory import choices as choice_module


class CellError(ValueError):
    """A cell's value cannot be used; the message is shown to the user."""


@dataclass(frozen=True)
class Column:
    key: str
    target: str  # "vendor.<field>", "integration.<field>" or "endpoints"
    type: str
    header_en: str
    header_de: str
    aliases: tuple[str, ...] = ()
    choices: str | None = None
    required: bool = False
    importable: bool = True

    @property
    def model(self) -> str:
        return self.target.split(".", 1)[0]

    @property
    def field(self) -> str:
        return self.target.split(".", 1)[1] if "." in self.target else self.target

    def header(self, language: str | None = None) -> str:
        lang = (language or translation.get_language() or "en")[:2]
        return self.header_de if lang == "de" else self.header_en


@dataclass(frozen=True)
class ColumnSet:
    columns: tuple[Column, ...]
    max_rows: int
    max_columns: int
    value_aliases: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def by_key(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def normalize_header(text: Any) -> str:
    """Case-, whitespace-, accent-insensitive form of a header ('Länder ' == 'LÄNDER' == 'laender')."""
    s = unicodedata.normalize("NFKC", str(text or "")).casefold().strip()
    s = s.lstrip("\ufeff")
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", s)


def normalize_value(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-./]+", " ", s).strip()


@lru_cache(maxsize=1)
def column_set() -> ColumnSet:
    data = content.load("import_columns")
    cols = []
    for c in data["columns"]:
        cols.append(Column(
            key=c["key"], target=c["target"], type=c["type"],
            header_en=c["header"]["en"], header_de=c["header"]["de"],
            aliases=tuple(c.get("aliases") or ()), choices=c.get("choices"),
            required=bool(c.get("required")), importable=c.get("import", True),
        ))
    aliases = {name: {key: tuple(vals) for key, vals in spec.items()}
               for name, spec in (data.get("value_aliases") or {}).items()}
    return ColumnSet(tuple(cols), int(data.get("max_rows", 50000)), int(data.get("max_columns", 200)), aliases)


@lru_cache(maxsize=1)
def header_lookup() -> dict[str, Column]:
    """normalised header -> column (export headers of both languages and all aliases)."""
    found: dict[str, Column] = {}
    for col in column_set().columns:
        for text in (col.header_en, col.header_de, col.key, *col.aliases):
            found.setdefault(normalize_header(text), col)
    return found


def match_headers(headers: list[Any]) -> tuple[dict[int, Column], list[str], list[str]]:
    """Map header cells to columns. Returns (position -> column, ignored headers, duplicate headers)."""
    lookup = header_lookup()
    mapping: dict[int, Column] = {}
    ignored: list[str] = []
    duplicates: list[str] = []
    seen: dict[str, int] = {}
    for pos, raw in enumerate(headers):
        text = str(raw or "").strip()
        if not text:
            continue
        col = lookup.get(normalize_header(text))
        if col is None:
            ignored.append(text)
            continue
        if col.key in seen:
            duplicates.append(text)
            continue
        seen[col.key] = pos
        mapping[pos] = col
    return mapping, ignored, duplicates


# -- values -----------------------------------------------------------------

def _choices_class(name: str):
    return getattr(choice_module, name)


@lru_cache(maxsize=None)
def value_lookup(choices_name: str) -> dict[str, str]:
    """normalised spelling -> stored key, for keys, en/de labels and aliases."""
    cls = _choices_class(choices_name)
    found: dict[str, str] = {}
    for key in cls.values:
        found.setdefault(normalize_value(str(key)), key)
    for lang in ("en", "de"):
        with translation.override(lang):
            for key, label in cls.choices:
                found.setdefault(normalize_value(str(label)), key)
    for key, spellings in column_set().value_aliases.get(choices_name, {}).items():
        for s in spellings:
            found.setdefault(normalize_value(s), key)
    found.pop("", None)
    return found


@lru_cache(maxsize=1)
def country_lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    for code, names in content.load("countries")["countries"].items():
        found.setdefault(normalize_value(code), code)
        for name in names.values():
            found.setdefault(normalize_value(name), code)
    # Common short forms that the ISO names spell differently.
    for alias, code in (("usa", "US"), ("united states", "US"), ("vereinigte staaten", "US"),
                        ("uk", "GB"), ("united kingdom", "GB"), ("grossbritannien", "GB"),
                        ("england", "GB"), ("deutschland", "DE"), ("germany", "DE"), ("brd", "DE"),
                        ("südkorea", "KR"), ("south korea", "KR"), ("russland", "RU"), ("russia", "RU")):
        found.setdefault(normalize_value(alias), code)
    return found


PRIMARY_SEPARATORS = re.compile(r"\s*(?:\||\r\n|\r|\n)\s*")
SECONDARY_SEPARATORS = re.compile(r"\s*[,;]\s*")
URL_SEPARATORS = re.compile(r"\s*(?:\||\s|[,;](?=\s|https?://|$))\s*")


def split_multi(text: str, known: dict[str, str] | None = None) -> list[str]:
    """Split a multi-value cell on ``|`` and line breaks, and on ``,`` and ``;``.

    Free text (``known`` is None, e.g. tags): a cell with ``|`` or line breaks is split on
    those only, so a tag may contain a comma. With ``known`` (a value lookup), every piece
    that is not itself a known spelling is split further on ``,`` and ``;`` (so
    "Korea, Republic of" stays one country while "DE, US" becomes two).
    """
    text = text.strip()
    if not text:
        return []
    primary = [p for p in PRIMARY_SEPARATORS.split(text) if p.strip()]
    if known is None:
        parts = primary if len(primary) > 1 or text.endswith("|") else SECONDARY_SEPARATORS.split(text)
        return [p.strip() for p in parts if p and p.strip()]
    out: list[str] = []
    for piece in primary:
        if normalize_value(piece) in known:
            out.append(piece.strip())
        else:
            out.extend(p.strip() for p in SECONDARY_SEPARATORS.split(piece) if p.strip())
    return out


def parse_choice(text: str, choices_name: str) -> str:
    lookup = value_lookup(choices_name)
    key = lookup.get(normalize_value(text))
    if key is None:
        raise CellError(_("Unknown value “%(value)s”.") % {"value": text[:100]})
    return key


def parse_country(text: str) -> str:
    code = country_lookup().get(normalize_value(text))
    if code is None:
        raise CellError(_("Unknown country “%(value)s”.") % {"value": text[:100]})
    return code


def parse_int(text: str) -> int | None:
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    s = re.sub(r"^(?:ca\.?|approx\.?|~|≈)", "", s, flags=re.IGNORECASE)
    # German and English thousands separators: 1.000 / 1,000 / 1'000; "1000.0" from spreadsheets
    m = re.fullmatch(r"(\d+)(?:[.,]0{1,2})?", s)
    if m:
        return int(m.group(1))
    if re.fullmatch(r"\d{1,3}(?:([.,'])\d{3})(?:\1\d{3})*", s):
        return int(re.sub(r"[.,']", "", s))
    raise CellError(_("“%(value)s” is not a whole number.") % {"value": text[:100]})


def parse_cell(col: Column, text: str) -> Any:
    """The stored value for a cell's text (already stripped and un-neutralised)."""
    if col.type == "text":
        return text
    if col.type == "int":
        return parse_int(text)
    if col.type == "choice":
        return parse_choice(text, col.choices) if text else ""
    if col.type == "country":
        return parse_country(text) if text else ""
    if col.type == "multi_choice":
        known = value_lookup(col.choices)
        return _parse_list(split_multi(text, known), lambda p: parse_choice(p, col.choices))
    if col.type == "countries":
        return _parse_list(split_multi(text, country_lookup()), parse_country)
    if col.type == "tags":
        return split_multi(text)
    if col.type == "urls":
        return [u for u in URL_SEPARATORS.split(text.strip()) if u]
    raise ValueError(f"unknown column type {col.type!r}")  # pragma: no cover - YAML is checked in tests


def _parse_list(parts: list[str], parse) -> list[str]:
    values, bad = [], []
    for p in parts:
        try:
            values.append(parse(p))
        except CellError:
            bad.append(p[:60])
    if bad:
        raise CellError(_("Unknown values: %(values)s") % {"values": ", ".join(f"“{b}”" for b in bad)})
    return sorted(set(values))


def format_cell(col: Column, value: Any) -> Any:
    """The exported cell for a stored value: labels in the active language, ISO codes for countries."""
    if value is None:
        return ""
    if col.type in ("text", "country", "int"):
        return value
    if col.type == "choice":
        return "" if value == "" else str(choice_labels(col.choices).get(value, value))
    if col.type == "multi_choice":
        labels = choice_labels(col.choices)
        return join_multi([str(labels.get(v, v)) for v in value])
    if col.type in ("countries", "tags", "urls"):
        return join_multi(list(value))
    raise ValueError(f"unknown column type {col.type!r}")  # pragma: no cover


@lru_cache(maxsize=None)
def _labels(choices_name: str, language: str) -> dict[str, str]:
    with translation.override(language):
        return {key: str(label) for key, label in _choices_class(choices_name).choices}


def choice_labels(choices_name: str) -> dict[str, str]:
    return _labels(choices_name, translation.get_language() or "en")


def join_multi(values: list[str]) -> str:
    """Join with `` | ``; a lone value containing , or ; gets a trailing ``|`` so it is not split."""
    if len(values) == 1 and re.search(r"[,;|]", values[0]):
        return values[0] + " |"
    return " | ".join(values)


# -- formula injection: one rule for every spreadsheet we write and read (engine.spreadsheet) ----------------

neutralize, unneutralize = spreadsheet.neutralize, spreadsheet.unneutralize
