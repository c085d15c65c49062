"""The template and code-list definitions (content/dora/*.yaml) in the shape the builder and validator use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vendorvet import content


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    type: str
    required: str  # M | C | O
    key: bool = False
    label_de: str = ""


@dataclass(frozen=True)
class Template:
    id: str  # B_02.02
    title_en: str
    title_de: str
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.id.lower()}.csv"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.columns)

    def column(self, code: str) -> Column | None:
        return next((c for c in self.columns if c.code == code), None)


@lru_cache(maxsize=1)
def templates() -> dict[str, Template]:
    doc = content.load("dora/templates")
    data, german = doc["templates"], doc.get("labels_de", {})
    out = {}
    for template_id, spec in data.items():
        columns = tuple(Column(c["code"], c["label"], c["type"], c["required"], bool(c.get("key")),
                               german.get(c["label"], c["label"]))
                        for c in spec["columns"])
        out[template_id] = Template(template_id, spec["title"]["en"], spec["title"]["de"], columns)
    return out


@lru_cache(maxsize=1)
def codelists() -> dict[str, dict[str, dict[str, str]]]:
    """{list name: {member code: {"en": …, "de": …}}} for the closed sets (not countries or currencies)."""
    lists = content.load("dora/codelists")["lists"]
    return {name: spec["values"] for name, spec in lists.items() if "values" in spec}


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    return frozenset(content.load("dora/codelists")["lists"]["currency"]["codes"])


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    return frozenset(content.load("countries")["countries"])


def package_settings() -> dict:
    return content.load("dora/templates")["package"]


def taxonomy() -> dict:
    return content.load("dora/codelists")["taxonomy"]


def not_applicable_country() -> str:
    return content.load("dora/codelists")["not_applicable_country"]


def open_date() -> str:
    return content.load("dora/codelists")["open_date"]


def choices(list_name: str, language: str = "en") -> list[tuple[str, str]]:
    """(code, label) pairs of a code list, for forms."""
    return [(code, labels.get(language) or labels["en"]) for code, labels in codelists()[list_name].items()]
