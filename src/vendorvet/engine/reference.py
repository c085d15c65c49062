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
