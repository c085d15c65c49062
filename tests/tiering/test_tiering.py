"""Each default tier rule, with the reasons a user reads."""

from __future__ import annotations

import pytest

from vendorvet import content
from vendorvet.engine.tiering import compute_tier, facts_from


def tier(*cats, scope="", outage="", users=None, records=None):
    return compute_tier(facts_from(cats, scope, outage, users, records))


def test_no_data_no_access_is_low_with_no_reasons():
    result = tier("none")
    assert result.tier == 4
    assert result.reasons == ()


@pytest.mark.parametrize(
    ("kwargs", "expected", "rule"),
    [
        ({"cats": ["internal"]}, 3, "data.internal"),
        ({"cats": ["personal"]}, 3, "data.personal"),
        ({"cats": ["personal"], "records": 100_000}, 2, "data.personal.large"),
        ({"cats": ["personal"], "records": 99_999}, 3, "data.personal"),
        ({"cats": ["financial"]}, 2, "data.financial"),
        ({"cats": ["special_category"]}, 2, "data.special_category"),
        ({"cats": ["health"]}, 2, "data.special_category"),
        ({"cats": ["health"], "records": 10_000}, 1, "data.special_category.large"),
        ({"cats": ["credentials"]}, 2, "data.credentials"),
        ({"cats": ["credentials"], "scope": "admin"}, 1, "data.credentials.privileged"),
        ({"cats": [], "scope": "tenant_wide"}, 1, "access.tenant_wide"),
        ({"cats": [], "scope": "admin"}, 2, "access.admin"),
        ({"cats": [], "scope": "write"}, 3, "access.write"),
        ({"cats": [], "outage": "critical"}, 1, "outage.critical"),
        ({"cats": [], "outage": "high"}, 2, "outage.high"),
        ({"cats": [], "outage": "medium"}, 3, "outage.medium"),
        ({"cats": [], "users": 1000}, 2, "reach.users"),
    ],
)
def test_each_rule(kwargs, expected, rule):
    result = tier(*kwargs.pop("cats"), **kwargs)
    assert result.tier == expected
    assert rule in [r.rule_id for r in result.reasons]
    assert result.reasons[0].tier == expected  # the deciding reason comes first


def test_most_critical_rule_wins_and_all_reasons_are_listed():
    result = tier("personal", "financial", scope="write", outage="low", users=50)
    assert result.tier == 2
    assert [r.rule_id for r in result.reasons] == ["data.financial", "access.write", "data.personal"]
    assert result.explain("en")[0] == "financial data → at least tier 2"
    assert result.explain("de")[0] == "Finanzdaten → mindestens Stufe 2"


def test_low_outage_and_read_access_do_not_raise_the_tier():
    assert tier("none", scope="read", outage="low").tier == 4


def test_rules_file_names_version_and_source_and_unknown_conditions_fail():
    rules = content.load("tiering")
    assert rules["version"] and "eur-lex.europa.eu" in rules["source"]
    bad = {"default_tier": 4, "rules": [{"id": "x", "when": {"colour": "red"}, "tier": 1, "reason": {"en": "x"}}]}
    with pytest.raises(content.ContentError):
        compute_tier(facts_from(["personal"]), bad)


# -- per-tenant policy ----------------------------------------------------------------------

from vendorvet.engine.tiering import PolicyError, apply_policy, validate_policy  # noqa: E402


def test_policy_changes_a_rule_tier_threshold_or_switches_it_off():
    personal_large = facts_from(["personal"], records=50_000)
    assert compute_tier(personal_large).tier == 3  # default threshold is 100,000 records
    stricter = apply_policy({"rules": {"data.personal.large": {"records_at_least": 10_000}}})
    assert compute_tier(personal_large, stricter).tier == 2
    assert stricter["version"].endswith("+tenant")
    relaxed = apply_policy({"rules": {"data.financial": {"tier": 3}}})
    assert compute_tier(facts_from(["financial"]), relaxed).tier == 3
    off = apply_policy({"rules": {"reach.users": {"enabled": False}}})
    assert compute_tier(facts_from(["none"], users=5000), off).tier == 4
    assert compute_tier(facts_from(["none"], users=5000)).tier == 2


def test_policy_keeps_only_real_deviations():
    assert validate_policy({"rules": {"data.financial": {"tier": 2, "enabled": True}}}) == {"rules": {}}
    assert apply_policy({"rules": {"data.financial": {"tier": 2}}}) == content.load("tiering")


@pytest.mark.parametrize("policy", [
    {"rules": {"data.gossip": {"tier": 1}}},
    {"rules": {"data.financial": {"tier": 5}}},
    {"rules": {"data.financial": {"tier": True}}},
    {"rules": {"data.financial": {"records_at_least": 10}}},  # that rule has no threshold
    {"rules": {"data.personal.large": {"records_at_least": 0}}},
    {"rules": {"data.financial": {"colour": "red"}}},
    {"rules": ["data.financial"]},
])
def test_invalid_policies_are_refused(policy):
    with pytest.raises(PolicyError):
        apply_policy(policy)
