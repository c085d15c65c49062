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
