"""Criticality tier (1 critical … 4 low) from an integration's facts, with every reason listed.

Pure: takes plain values and the rules from ``content/tiering.yaml``; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from vendorvet import content

CONDITIONS = {
    "data_category", "data_category_in", "access_scope_in", "outage_impact_in",
    "records_at_least", "users_at_least",
}


@dataclass(frozen=True)
class TierFacts:
    data_categories: frozenset[str] = frozenset()
    access_scope: str = ""
    outage_impact: str = ""
    users: int | None = None
    records: int | None = None


@dataclass(frozen=True)
class TierReason:
    rule_id: str
    tier: int
    text: dict[str, str]


@dataclass(frozen=True)
class TierResult:
    tier: int
    reasons: tuple[TierReason, ...] = field(default_factory=tuple)
    rules_version: str = ""

    def explain(self, language: str = "en") -> list[str]:
        return [f"{r.text.get(language) or r.text['en']} → {tier_label(r.tier, language)}" for r in self.reasons]


def tier_label(tier: int, language: str = "en") -> str:
    return (f"mindestens Stufe {tier}" if language == "de" else f"at least tier {tier}")


def _matches(when: Mapping[str, Any], facts: TierFacts) -> bool:
    unknown = set(when) - CONDITIONS
    if unknown:
        raise content.ContentError(f"tiering rule uses unknown conditions: {sorted(unknown)}")
    if "data_category" in when and when["data_category"] not in facts.data_categories:
        return False
    if "data_category_in" in when and not facts.data_categories.intersection(when["data_category_in"]):
        return False
    if "access_scope_in" in when and facts.access_scope not in when["access_scope_in"]:
        return False
    if "outage_impact_in" in when and facts.outage_impact not in when["outage_impact_in"]:
        return False
    if "records_at_least" in when and (facts.records or 0) < int(when["records_at_least"]):
        return False
    if "users_at_least" in when and (facts.users or 0) < int(when["users_at_least"]):
        return False
    return True


def compute_tier(facts: TierFacts, rules: Mapping[str, Any] | None = None) -> TierResult:
    rules = rules or content.load("tiering")
    tier = int(rules.get("default_tier", 4))
    reasons: list[TierReason] = []
    for rule in rules["rules"]:
        if _matches(rule["when"], facts):
            reasons.append(TierReason(rule["id"], int(rule["tier"]), dict(rule["reason"])))
            tier = min(tier, int(rule["tier"]))
    reasons.sort(key=lambda r: (r.tier, r.rule_id))
    return TierResult(tier=tier, reasons=tuple(reasons), rules_version=str(rules.get("version", "")))


def facts_from(data_categories: Iterable[str], access_scope: str = "", outage_impact: str = "",
               users: int | None = None, records: int | None = None) -> TierFacts:
    return TierFacts(frozenset(data_categories or ()), access_scope or "", outage_impact or "", users, records)
