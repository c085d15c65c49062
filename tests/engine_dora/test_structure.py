"""Branches (B_01.03, B_04.01), intra-group arrangements (B_01.02, B_02.03, B_03.01, B_03.03) and supply chains
deeper than rank 2 (B_05.02) in the DORA register engine."""

from __future__ import annotations

import datetime as dt

from vendorvet.engine.dora import Branch, Contract, GroupEntity, Identifier, Provider, Service, build, validate
from vendorvet.engine.dora.lei import with_check_digits

from tests.engine_dora.sample import CLOUD_LEI, ENTITY_LEI, SUB_LEI, register

REPORTED = dt.date(2026, 3, 15)
GROUP_IT_LEI = with_check_digits("5299004GROUPIT0000")
DEEP_LEI = with_check_digits("5299005POWERGRID00")
DEEPER_LEI = with_check_digits("5299006FIBRE00000N")


def codes(issues) -> set[tuple[str, str, str]]:
    return {(i.template, i.column, i.code) for i in issues}


def with_branch():
    reg = register()
    reg.entity.branches = [Branch("DK-CPH-01", "Test Finanz AG, filial Danmark", "DK")]
    reg.contracts[0].branch_codes = ["DK-CPH-01"]
    return reg


def test_branch_is_listed_and_its_use_reported():
    tables = build(with_branch())
    assert validate(tables, REPORTED) == []
    assert [r.values for r in tables["B_01.03"]] == [
        {"c0010": "DK-CPH-01", "c0020": ENTITY_LEI, "c0030": "Test Finanz AG, filial Danmark",
         "c0040": "eba_GA:DK"}]
    users = [(r.values["c0010"], r.values["c0030"], r.values["c0040"]) for r in tables["B_04.01"]]
    assert ("C-001", "eba_ZZ:x839", "Not Applicable") in users  # the head office itself
    assert ("C-001", "eba_ZZ:x838", "DK-CPH-01") in users
    assert ("C-002", "eba_ZZ:x838", "DK-CPH-01") not in users


def test_unknown_or_duplicate_branch_code_is_an_issue():
    reg = with_branch()
    reg.contracts[1].branch_codes = ["SE-STO-01"]
    reg.entity.branches.append(Branch("DK-CPH-01", "Doppelt", "DK"))
    found = codes(validate(build(reg), REPORTED))
    assert ("B_04.01", "c0040", "dangling") in found
    assert ("B_01.03", "c0010", "duplicate_key") in found
    reg = with_branch()
    reg.entity.branches[0].head_office_lei = CLOUD_LEI  # not an entity within the scope of the register
    assert ("B_01.03", "c0020", "dangling") in codes(validate(build(reg), REPORTED))
    reg = with_branch()
    reg.entity.branches[0].code = ""
    assert ("B_01.03", "c0010", "missing") in codes(validate(build(reg), REPORTED))


def intra_group():
    """The group's IT company (an entity of the group) serves the entity under C-IG; it signed the cloud contract
    C-001 for the group itself."""
    reg = register()
    reg.group_entities = [GroupEntity(GROUP_IT_LEI, "Test Group IT GmbH", "DE")]
    reg.providers["groupit"] = Provider("groupit", "Test Group IT GmbH", Identifier(GROUP_IT_LEI), country="DE")
    reg.contracts[0].signer_lei = GROUP_IT_LEI
    workplace = Service("Workplace IT", "eba_TA:S14", ["F2"], provision_country="DE", data_stored=False,
                        substitutability="eba_ZZ:x961", exit_plan=True, reintegration="eba_ZZ:x966",
                        impact="eba_ZZ:x792", alternatives_identified="eba_BT:x29")
    reg.contracts.append(Contract("C-IG", "groupit", annual_cost=0, start=dt.date(2024, 1, 1),
                                  services=[workplace], linked_references=["C-001"]))
    return reg


def test_intra_group_arrangement_is_linked_and_its_provider_signs_in_b_03_03():
    tables = build(intra_group())
    assert validate(tables, REPORTED) == []
    entities = {r.values["c0010"]: r.values for r in tables["B_01.02"]}
    assert entities[GROUP_IT_LEI]["c0040"] == "eba_CT:x317" and entities[GROUP_IT_LEI]["c0060"] == ENTITY_LEI
    assert entities[GROUP_IT_LEI]["c0110"] == ""  # total assets: not for a non-financial entity
    assert [r.values for r in tables["B_02.03"]] == [{"c0010": "C-IG", "c0020": "C-001", "c0030": "true"}]
    assert [r.values for r in tables["B_03.03"]] == [{"c0010": "C-IG", "c0020": GROUP_IT_LEI, "c0031": "true"}]
    signers = {r.values["c0010"]: r.values["c0020"] for r in tables["B_03.01"]}
    assert signers == {"C-001": GROUP_IT_LEI, "C-002": ENTITY_LEI, "C-IG": ENTITY_LEI}


def test_reintegration_is_not_asked_of_an_intra_group_provider():
    reg = intra_group()
    reg.contracts[-1].services[0].reintegration = ""
    assert validate(build(reg), REPORTED) == []
    reg.contracts[0].services[0].reintegration = ""  # an outside provider: still needed
    assert ("B_07.01", "c0090", "missing") in codes(validate(build(reg), REPORTED))


def test_broken_intra_group_links_are_issues():
    reg = intra_group()
    reg.contracts[-1].linked_references = ["C-404", "C-IG"]
    found = codes(validate(build(reg), REPORTED))
    assert ("B_02.03", "c0020", "dangling") in found and ("B_02.03", "c0020", "self_link") in found
    reg = intra_group()
    reg.contracts[0].signer_lei = CLOUD_LEI  # the signer must be an entity within the scope of the register
    assert ("B_03.01", "c0020", "dangling") in codes(validate(build(reg), REPORTED))
    reg = intra_group()
    reg.group_entities[0].entity_type = "eba_CT:x12"  # a credit institution of the group: total assets needed
    assert ("B_01.02", "c0110", "missing") in codes(validate(build(reg), REPORTED))


def test_supply_chain_goes_below_rank_two_and_stops_at_cycles():
    reg = register()
    reg.providers["grid"] = Provider("grid", "Power Grid AG", Identifier(DEEP_LEI), country="DE",
                                     subcontractors=["fibre", "cloud"])  # "cloud" closes a cycle
    reg.providers["fibre"] = Provider("fibre", "Fibre Net N.V.", Identifier(DEEPER_LEI), country="NL",
                                      subcontractors=["grid"])  # and so does "grid" below it
    reg.providers["dc"].subcontractors = ["grid"]
    tables = build(reg)
    assert validate(tables, REPORTED) == []
    chain = {(r.values["c0030"], r.values["c0050"], r.values["c0060"]) for r in tables["B_05.02"]
             if r.values["c0010"] == "C-001"}
    assert chain == {(CLOUD_LEI, "1", CLOUD_LEI), (SUB_LEI, "2", CLOUD_LEI), (DEEP_LEI, "3", SUB_LEI),
                     (DEEPER_LEI, "4", DEEP_LEI)}
    assert {DEEP_LEI, DEEPER_LEI} <= {r.values["c0010"] for r in tables["B_05.01"]}


def test_a_subcontractor_serving_two_providers_of_the_chain_is_reported_for_each():
    reg = register()
    reg.providers["grid"] = Provider("grid", "Power Grid AG", Identifier(DEEP_LEI), country="DE")
    reg.providers["fibre"] = Provider("fibre", "Fibre Net N.V.", Identifier(DEEPER_LEI), country="NL",
                                      subcontractors=["grid"])
    reg.providers["cloud"].subcontractors = ["dc", "fibre"]
    reg.providers["dc"].subcontractors = ["grid"]
    tables = build(reg)
    assert validate(tables, REPORTED) == []
    links = [(r.values["c0030"], r.values["c0050"], r.values["c0060"]) for r in tables["B_05.02"]
             if r.values["c0010"] == "C-001"]
    assert (DEEP_LEI, "3", SUB_LEI) in links and (DEEP_LEI, "3", DEEPER_LEI) in links
    assert len(links) == len(set(links)) == 5


def test_licensed_activity_list_is_complete():
    from vendorvet.engine.dora.definitions import codelists

    activities = codelists()["licensed_activity"]
    assert len(activities) == 128 and all(code.startswith("eba_TA:x") for code in activities)
    assert all(labels["en"] and labels["de"] for labels in activities.values())
    reg = register()
    reg.functions[1].licensed_activity = "eba_TA:x190"  # non-life insurance: liability (added with the full list)
    assert validate(build(reg), REPORTED) == []
    reg.functions[1].licensed_activity = "eba_TA:x142"  # no such member (x142 and x145 are not in the list)
    assert ("B_06.01", "c0020", "not_in_list") in codes(validate(build(reg), REPORTED))
