"""Typed evidence: the facts in a finding's evidence that other parts of the product read.

A check stores its evidence as a JSON object. Most of it is for people; a few facts are read elsewhere — the
certificate's expiry (the calendar and the scan-change events), the countries of the addresses (the scan-change
events, the legal data-location view), the rate-limit policy and the deprecation/sunset headers (scan-change
events). Each such fact is a small frozen dataclass here, keyed by the fact it carries (:data:`FACTS`), not by
the id of the check that happens to report it: a reader asks "which findings carry a certificate expiry?"
(``CertificateValidity.KEYS``) and parses them with :meth:`from_evidence`, which returns ``None`` for evidence
without the fact. :meth:`to_evidence` gives the JSON keys back (the stored shape).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class _Fact:
    KEYS: ClassVar[tuple[str, ...]] = ()
    FACT: ClassVar[str] = ""

    @classmethod
    def carried_by(cls, evidence: Any) -> bool:
        return isinstance(evidence, dict) and any(key in evidence for key in cls.KEYS)

    @classmethod
    def from_evidence(cls, evidence: Any):
        """The fact in ``evidence``, or None when the evidence does not carry it."""
        if not cls.carried_by(evidence):
            return None
        return cls._parse(evidence)

    @classmethod
    def _parse(cls, evidence: dict):
        return cls(**{f.name: evidence.get(f.name) for f in fields(cls)})

    def to_evidence(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class CertificateValidity(_Fact):
    """The end of the served (leaf) certificate's validity, as ISO 8601 text (as stored)."""

    KEYS: ClassVar[tuple[str, ...]] = ("not_after",)
    FACT: ClassVar[str] = "certificate_validity"
    not_after: str

    @classmethod
    def _parse(cls, evidence: dict):
        value = evidence.get("not_after")
        return cls(str(value)) if value else None

    @property
    def expires(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.not_after)
        except ValueError:
            return None

    @property
    def expires_on(self) -> dt.date | None:
        moment = self.expires
        return moment.date() if moment is not None else None


@dataclass(frozen=True)
class ServerCountry:
    address: str
    country: str
    public: bool = True


@dataclass(frozen=True)
class ServerCountries(_Fact):
    """The countries of the public addresses an endpoint resolved to, and those outside the EEA."""

    KEYS: ClassVar[tuple[str, ...]] = ("countries",)
    FACT: ClassVar[str] = "server_countries"
    countries: tuple[str, ...] = ()
    outside_eea: tuple[str, ...] | None = None  # None: not stated by the evidence
    addresses: tuple[ServerCountry, ...] = ()

    @classmethod
    def _parse(cls, evidence: dict):
        rows = []
        for row in evidence.get("addresses") or []:
            if isinstance(row, dict):
                code = str(row.get("country") or "").upper()
                rows.append(ServerCountry(str(row.get("address") or ""), code, bool(row.get("public", True))))
        outside = evidence.get("outside_eea")
        return cls(tuple(evidence.get("countries") or ()), None if outside is None else tuple(outside), tuple(rows))

    def to_evidence(self) -> dict:
        return {"countries": list(self.countries)}

    def public_countries(self) -> list[str]:
        """Two-letter codes of the public addresses (the addresses' rows), in order of appearance."""
        out: list[str] = []
        for row in self.addresses:
            if len(row.country) == 2 and row.public and row.country not in out:
                out.append(row.country)
        return out

    def outside_eea_among(self, codes) -> set[str]:
        """Which of ``codes`` lie outside the EEA (from the evidence, else from the check's EEA list)."""
        codes = set(codes)
        if self.outside_eea is not None and codes <= set(self.countries):
            return codes & set(self.outside_eea)
        from vendorvet.engine.checks.location.country import EEA

        return codes - set(EEA)


@dataclass(frozen=True)
class RateLimitPolicy(_Fact):
    """The announced rate-limit header family and its limit."""

    KEYS: ClassVar[tuple[str, ...]] = ("format", "limit")
    FACT: ClassVar[str] = "rate_limit_policy"
    format: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class ApiLifecycle(_Fact):
    """The Deprecation (RFC 9745) and Sunset (RFC 8594) headers as served."""

    KEYS: ClassVar[tuple[str, ...]] = ("deprecation", "sunset")
    FACT: ClassVar[str] = "api_lifecycle"
    deprecation: str | None = None
    sunset: str | None = None


FACTS: dict[str, type[_Fact]] = {cls.FACT: cls for cls in (CertificateValidity, ServerCountries, RateLimitPolicy,
                                                           ApiLifecycle)}
