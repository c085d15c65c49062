"""Reference data with one home: the EEA and the EU adequacy decisions (GDPR Art. 45), from content.

``content/eea_adequacy.yaml`` is the only source. The transfer engine (:mod:`vendorvet.engine.transfer`),
the scan check ``location.country`` and monitoring all read it through this module, so they cannot
drift apart. Dated decisions are evaluated at a given date (:meth:`Adequacy.in_force`, :func:`adequacy_on`).
Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vendorvet import content

@dataclass(frozen=True)
class Adequacy:
    code: str | None
    body: str | None
    name: dict[str, str]
    decision: str
    adopted: dt.date
    url: str
    condition: str
    scope: dict[str, str]
    verified: bool = True
    note: dict[str, str] | None = None
    valid_until: dt.date | None = None
    renewed: dt.date | None = None

    def label(self, language: str = "en") -> str:
        return self.name.get(language) or self.name["en"]

    def in_force(self, on: dt.date) -> bool:
        """Whether the decision still applies on ``on`` (a dated decision, e.g. the UK's, expires)."""
        return self.valid_until is None or self.valid_until >= on


@dataclass(frozen=True)
class TransferContent:
    version: str
    eea: frozenset[str]
    aliases: dict[str, str]
    adequacy: dict[str, Adequacy]  # by country code
    bodies: dict[str, Adequacy]
    scc_modules: dict[int, dict[str, str]]
    scc_decision: str
    extraterritorial: dict[str, dict[str, Any]]


ADEQUACY_CONDITIONS = ("none", "canada_pipeda", "dpf", "private_sector", "pipa")


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def parse_content(data: dict[str, Any]) -> TransferContent:
    adequacy: dict[str, Adequacy] = {}
    bodies: dict[str, Adequacy] = {}
    for entry in data["adequacy"]:
        item = Adequacy(
            code=entry.get("code"), body=entry.get("body"), name=entry["name"], decision=entry["decision"],
            adopted=_date(entry["adopted"]), url=entry["url"], condition=entry["condition"],
            scope=entry["scope"], verified=entry.get("verified", True), note=entry.get("note"),
            valid_until=_date(entry.get("valid_until")), renewed=_date(entry.get("renewed")),
        )
        if item.code:
            adequacy[item.code] = item
        else:
            bodies[item.body] = item
    return TransferContent(
        version=str(data["version"]),
        eea=frozenset(data["eu"]) | frozenset(data["eea_efta"]),
        aliases=dict(data.get("aliases") or {}),
        adequacy=adequacy,
        bodies=bodies,
        scc_modules={int(k): v for k, v in data["scc"]["modules"].items()},
        scc_decision=data["scc"]["decision"],
        extraterritorial=dict(data.get("extraterritorial_access") or {}),
    )


@lru_cache(maxsize=1)
def load_content() -> TransferContent:
    return parse_content(content.load("eea_adequacy"))


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    return frozenset(content.load("countries")["countries"])


def eea() -> frozenset[str]:
    """ISO 3166-1 codes of the EEA: the EU 27 plus Iceland, Liechtenstein and Norway."""
    return load_content().eea


def is_eea(code: str) -> bool:
    return code in load_content().eea


def adequacy_on(code: str, on: dt.date) -> Adequacy | None:
    """The adequacy decision for country ``code`` that is in force on ``on``, or ``None``."""
    decision = load_content().adequacy.get(code)
    return decision if decision is not None and decision.in_force(on) else None


# German country names that take an article (or "auf" for islands): the phrase for "in <country>" (dative).
# Every other country reads "in <name>" ("in Deutschland", "in Kanada").
GERMAN_IN = {
    "AE": "in den Vereinigten Arabischen Emiraten", "AX": "auf den Åland-Inseln", "BS": "auf den Bahamas",
    "CD": "in der Demokratischen Republik Kongo", "CF": "in der Zentralafrikanischen Republik",
    "CG": "in der Republik Kongo", "CH": "in der Schweiz", "CK": "auf den Cookinseln",
    "DO": "in der Dominikanischen Republik", "EH": "in der Westsahara", "FK": "auf den Falklandinseln",
    "FM": "in den Föderierten Staaten von Mikronesien", "FO": "auf den Färöern", "GB": "im Vereinigten Königreich",
    "GG": "auf Guernsey", "IM": "auf der Insel Man", "IQ": "im Irak", "IR": "im Iran", "JE": "auf Jersey",
    "KM": "auf den Komoren", "KY": "auf den Cayman-Inseln", "LB": "im Libanon", "MH": "auf den Marshallinseln",
    "MN": "in der Mongolei", "MV": "auf den Malediven", "NE": "im Niger", "NL": "in den Niederlanden",
    "PH": "auf den Philippinen", "RU": "in der Russischen Föderation", "SB": "auf den Salomonen",
    "SC": "auf den Seychellen", "SD": "im Sudan", "SK": "in der Slowakei", "SS": "im Südsudan",
    "TC": "auf den Turks- und Caicosinseln", "TD": "im Tschad", "TR": "in der Türkei", "UA": "in der Ukraine",
    "US": "in den Vereinigten Staaten", "VA": "im Staat Vatikanstadt", "VG": "auf den Britischen Jungferninseln",
    "VI": "auf den Amerikanischen Jungferninseln", "YE": "im Jemen",
}
ENGLISH_THE = {"AE", "BS", "CD", "CF", "CK", "DO", "FK", "FO", "GB", "KM", "KY", "MH", "MV", "NL", "PH", "SB",
               "SC", "TC", "US", "VG", "VI", "RU"}


def country_in(code: str, language: str = "en", with_code: bool = False) -> str:
    """"in den Vereinigten Staaten" / "in the United States" — "in Deutschland" / "in Germany"."""
    code = (code or "").upper()
    entry = content.load("countries")["countries"].get(code) or {}
    suffix = f" ({code})" if with_code and entry else ""
    if language == "de":
        if code in GERMAN_IN:
            return GERMAN_IN[code] + suffix
        return f"in {entry.get('de') or entry.get('en') or code}{suffix}"
    name = entry.get("en") or code
    return f"in the {name}{suffix}" if code in ENGLISH_THE else f"in {name}{suffix}"


# English names of EU legal acts and bodies → their German names (the Official Journal's German edition)
_GERMAN_ACTS = (
    (r"Commission Implementing Decision \(EU\) (\d{4}/\d+)", r"Durchführungsbeschluss (EU) \1 der Kommission"),
    (r"Commission Implementing Decision (\d{4}/\d+/EU)\b", r"Durchführungsbeschluss \1 der Kommission"),
    (r"Commission Decision \(EU\) (\d{4}/\d+)", r"Beschluss (EU) \1 der Kommission"),
    (r"Commission Decision (\d{4}/\d+)/EC\b", r"Entscheidung \1/EG der Kommission"),
    (r"Commission Decision (\d{4}/\d+)/EU\b", r"Beschluss \1/EU der Kommission"),
    (r"\bDecision \(EU\) (\d{4}/\d+)", r"Beschluss (EU) \1"),
    (r"\b(\d{4}/\d+)/EC\b", r"\1/EG"),
    (r"\bEDPB Recommendations (\d\d/\d{4})", r"EDSA-Empfehlungen \1"),
    (r"\bEDPB\b", "EDSA"),
    (r", renewed in (\w+) (\d{4})", lambda m: f", verlängert im {_MONTHS.get(m.group(1), m.group(1))} {m.group(2)}"),
)
_MONTHS = dict(zip(("January February March April May June July August September October November December").split(),
                   ("Januar Februar März April Mai Juni Juli August September Oktober November Dezember").split()))


def german_act(text: str) -> str:
    """"Commission Implementing Decision (EU) 2021/914" → "Durchführungsbeschluss (EU) 2021/914 der
    Kommission"; EDPB → EDSA. Other text is returned unchanged."""
    import re

    for pattern, replacement in _GERMAN_ACTS:
        text = re.sub(pattern, replacement, text)
    return text
