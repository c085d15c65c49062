"""Criticality tier (1 critical … 4 low) from an integration's facts, with every reason listed.

Pure: takes plain values and the rules from ``content/tiering.yaml``; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from vendorvet import content

CONDITIONS = {
    "data_category", "data_category_in", "access_scope_in", "outage_impact_in",
    "records_at_least", "users_at_least", "granted_scope_risk_in", "granted_access_in", "granted_publisher_in",
}
# Placeholder a rule's reason may carry: the granted scopes that made the rule match.
SCOPES_PLACEHOLDER = "{granted_scopes}"
MAX_SCOPES_NAMED = 5


@dataclass(frozen=True)
class TierFacts:
    data_categories: frozenset[str] = frozenset()
    access_scope: str = ""
    outage_impact: str = ""
    users: int | None = None
    records: int | None = None
    # from discovered OAuth grants (set by the discovery import, never by a person):
    granted_scope_risk: str = ""  # "" | low | medium | high — the highest risk of a granted scope
    granted_access: str = ""  # "" | user | tenant_wide | application — how the highest-risk scopes were granted
    granted_scopes: tuple[str, ...] = ()  # the highest-risk scopes, named in the reason
    granted_publisher: str = ""  # "" | verified | unverified — the publisher of the app holding the grants


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
    if "granted_scope_risk_in" in when and facts.granted_scope_risk not in when["granted_scope_risk_in"]:
        return False
    if "granted_access_in" in when and facts.granted_access not in when["granted_access_in"]:
        return False
    if "granted_publisher_in" in when and facts.granted_publisher not in when["granted_publisher_in"]:
        return False
    return True


def _reason_text(text: Mapping[str, str], facts: TierFacts) -> dict[str, str]:
    if not any(SCOPES_PLACEHOLDER in t for t in text.values()):
        return dict(text)
    named = list(facts.granted_scopes[:MAX_SCOPES_NAMED])
    listed = ", ".join(named) + (" …" if len(facts.granted_scopes) > MAX_SCOPES_NAMED else "")
    return {lang: t.replace(SCOPES_PLACEHOLDER, listed or "—") for lang, t in text.items()}


def compute_tier(facts: TierFacts, rules: Mapping[str, Any] | None = None) -> TierResult:
    rules = rules or content.load("tiering")
    tier = int(rules.get("default_tier", 4))
    reasons: list[TierReason] = []
    for rule in rules["rules"]:
        if _matches(rule["when"], facts):
            reasons.append(TierReason(rule["id"], int(rule["tier"]), _reason_text(rule["reason"], facts)))
            tier = min(tier, int(rule["tier"]))
    reasons.sort(key=lambda r: (r.tier, r.rule_id))
    return TierResult(tier=tier, reasons=tuple(reasons), rules_version=str(rules.get("version", "")))


def facts_from(data_categories: Iterable[str], access_scope: str = "", outage_impact: str = "",
               users: int | None = None, records: int | None = None, *, granted_scope_risk: str = "",
               granted_access: str = "", granted_scopes: Iterable[str] = (), granted_publisher: str = "") -> TierFacts:
    return TierFacts(frozenset(data_categories or ()), access_scope or "", outage_impact or "", users, records,
                     granted_scope_risk or "", granted_access or "", tuple(granted_scopes or ()),
                     granted_publisher or "")


# -- per-tenant policy ------------------------------------------------------------------------
# A tenant may change each default rule's tier, switch a rule off, or change its thresholds.
# The policy is data: {"rules": {rule_id: {"tier": 1-4, "enabled": bool,
#                                          "records_at_least": int, "users_at_least": int}}}

POLICY_KEYS = {"tier", "enabled", "records_at_least", "users_at_least"}
THRESHOLD_KEYS = ("records_at_least", "users_at_least")


class PolicyError(ValueError):
    """A tenant tier policy names an unknown rule or carries an invalid value."""


def validate_policy(policy: Mapping[str, Any], rules: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Check a policy against the default rules; returns it normalised (only real deviations kept)."""
    rules = rules or content.load("tiering")
    by_id = {r["id"]: r for r in rules["rules"]}
    entries = (policy or {}).get("rules", {})
    if not isinstance(entries, Mapping):
        raise PolicyError("'rules' must be a mapping of rule id to settings")
    normalised: dict[str, dict[str, Any]] = {}
    for rule_id, settings in entries.items():
        if rule_id not in by_id:
            raise PolicyError(f"unknown tier rule {rule_id!r}")
        if not isinstance(settings, Mapping) or set(settings) - POLICY_KEYS:
            raise PolicyError(f"{rule_id}: settings may only be {sorted(POLICY_KEYS)}")
        default = by_id[rule_id]
        out: dict[str, Any] = {}
        if "tier" in settings:
            tier = settings["tier"]
            if isinstance(tier, bool) or not isinstance(tier, int) or not 1 <= tier <= 4:
                raise PolicyError(f"{rule_id}: tier must be 1, 2, 3 or 4")
            if tier != int(default["tier"]):
                out["tier"] = tier
        if "enabled" in settings:
            if not isinstance(settings["enabled"], bool):
                raise PolicyError(f"{rule_id}: enabled must be true or false")
            if settings["enabled"] is False:
                out["enabled"] = False
        for key in THRESHOLD_KEYS:
            if key in settings:
                if key not in default["when"]:
                    raise PolicyError(f"{rule_id}: this rule has no {key} threshold")
                value = settings[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise PolicyError(f"{rule_id}: {key} must be a positive whole number")
                if value != int(default["when"][key]):
                    out[key] = value
        if out:
            normalised[rule_id] = out
    return {"rules": normalised}


def apply_policy(policy: Mapping[str, Any] | None, rules: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The default rules with a tenant's deviations applied (the version says so)."""
    rules = rules or content.load("tiering")
    deviations = validate_policy(policy or {}, rules)["rules"]
    if not deviations:
        return dict(rules)
    merged = []
    for rule in rules["rules"]:
        change = deviations.get(rule["id"])
        if change is None:
            merged.append(rule)
            continue
        if change.get("enabled") is False:
            continue
        when = dict(rule["when"])
        for key in THRESHOLD_KEYS:
            if key in change:
                when[key] = change[key]
        merged.append({**rule, "when": when, "tier": change.get("tier", rule["tier"])})
    return {**rules, "rules": merged, "version": f"{rules.get('version', '')}+tenant"}
