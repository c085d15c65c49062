"""Depth of review by tier: tier 4 answers the first points only, tier 1 everything."""

from __future__ import annotations

import pytest

from vendorvet.engine.checklist import load_checklist, requirements_for_tier
from vendorvet.engine.tiering import compute_tier, facts_from


def ids(requirements):
    return [r.id for r in requirements]


def test_worked_example_depth_by_tier(build):
    """The inline example: max_tier 4 at points 1 and 2 and the AVV, 3 at point 5, 1 at point 9."""
    checklist = build()
    assert ids(checklist.requirements_for_tier(4)) == ["cert.any", "enc.tls", "legal.avv"]
    assert ids(checklist.requirements_for_tier(3)) == ["cert.any", "enc.tls", "lifecycle.notice", "legal.avv"]
    assert ids(checklist.requirements_for_tier(2)) == ["cert.any", "enc.tls", "lifecycle.notice", "legal.avv"]
    assert ids(checklist.requirements_for_tier(1)) == [
        "cert.any", "enc.tls", "lifecycle.notice", "resilience.bcp", "legal.avv"]


def test_worked_example_conditions(build):
    checklist = build()
    # No personal data processed: the AVV does not apply, whatever the tier.
    assert ids(checklist.requirements_for_tier(4, conditions=set())) == ["cert.any", "enc.tls"]
    assert "legal.avv" not in ids(checklist.requirements_for_tier(1, conditions=[]))
    assert ids(checklist.requirements_for_tier(4, conditions={"personal_data"})) == [
        "cert.any", "enc.tls", "legal.avv"]
    requirement = checklist.requirement("legal.avv")
    assert requirement.required_for(4) and not requirement.applies(set()) and requirement.applies(None)
    with pytest.raises(ValueError, match="unknown conditions \\['health'\\]"):
        checklist.requirements_for_tier(2, conditions={"health"})


@pytest.mark.parametrize("tier", [0, 5, "1", None, True, 1.0])
def test_invalid_tier_is_refused(build, tier):
    with pytest.raises(ValueError, match="tier must be one of"):
        build().requirements_for_tier(tier)


def test_shipped_tier_4_gets_only_the_first_points():
    """Seed FAQ: for a small, uncritical marketing tool a quick check of the first points suffices."""
    low = requirements_for_tier(4, conditions=set())
    assert {r.point for r in low} == {1, 2, 3}
    assert ids(low) == ["cert.recognised", "enc.transit.tls12", "enc.transit.certificate",
                        "auth.oauth", "auth.least_privilege"]


def test_shipped_tier_4_with_personal_data_adds_only_the_legal_duties():
    low = requirements_for_tier(4, conditions={"personal_data"})
    assert {r.point for r in low} == {1, 2, 3, "legal"}
    assert [r.id for r in low if r.point == "legal"] == ["legal.avv", "legal.avv.processor_duties", "legal.ropa"]
    abroad = requirements_for_tier(4, conditions={"personal_data", "third_country_transfer"})
    assert {"legal.transfer.basis", "legal.transfer.scc", "legal.transfer.tia"} <= set(ids(abroad))


def test_shipped_tier_1_gets_everything():
    checklist = load_checklist()
    everything = requirements_for_tier(1, conditions=set(checklist.conditions))
    assert ids(everything) == ids(checklist.requirements)
    assert requirements_for_tier(1) == checklist.requirements
    assert {r.point for r in everything} == {*range(1, 11), "legal"}


@pytest.mark.parametrize("conditions", [None, set(), {"personal_data"}, {"personal_data", "third_country_transfer"}])
def test_shipped_depth_is_monotonic(conditions):
    """A more critical tier answers a strict superset of a less critical one."""
    by_tier = {tier: set(ids(requirements_for_tier(tier, conditions))) for tier in (1, 2, 3, 4)}
    assert by_tier[4] < by_tier[3] < by_tier[2] < by_tier[1]


def test_shipped_tier_3_covers_points_4_to_6_but_not_the_contract_depth():
    medium = requirements_for_tier(3, conditions=set())
    assert {4, 5, 6} <= {r.point for r in medium}
    assert "contract.audit_right" not in ids(medium)
    assert "contract.audit_right" in ids(requirements_for_tier(2))


def test_from_integration_facts_to_the_questions_asked():
    """End to end with the tier rules: a scheduling tool vs. a CRM integration."""
    scheduler = compute_tier(facts_from(["none"], access_scope="read", outage_impact="low"))
    crm = compute_tier(facts_from(["personal", "financial"], access_scope="tenant_wide", outage_impact="critical",
                                  records=250_000))
    assert (scheduler.tier, crm.tier) == (4, 1)
    assert len(requirements_for_tier(scheduler.tier, set())) == 5
    assert len(requirements_for_tier(crm.tier, {"personal_data"})) == len(load_checklist().requirements) - 4
