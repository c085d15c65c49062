"""The transfer engine on a table of worked cases, each with its expected outcome written out.

Columns of ``expect``: third = third-country transfer, basis, adequacy = adequacy_country,
module = SCC module of Decision (EU) 2021/914, tia, warn = a jurisdiction warning is given,
onward = [(country, basis, module)] for the sub-processors.
"""

from __future__ import annotations

import datetime as dt

import pytest

from vendorvet.engine.transfer import SubProcessor, TransferInput, TransferInputError, check, parse_sub_processor

C, P, S = "controller", "processor", "sub-processor"


def case(id, outcome, *, our=C, vendor=P, country, processing=(), parent=None, dpf="unknown", pipeda="unknown",
         categories=("personal",), subs=(), **expect):
    return pytest.param(
        TransferInput(our_role=our, vendor_role=vendor, vendor_country=country, processing_countries=tuple(processing),
                      parent_country=parent, dpf=dpf, canada_pipeda=pipeda, data_categories=tuple(categories),
                      sub_processors=tuple(subs), today=dt.date(2026, 6, 1)),
        expect, outcome, id=id)


CASES = [
    case("eea-processor", "German SaaS processor hosting in Germany: no third-country transfer, no tool needed.",
         country="DE", processing=["DE"], third=False, basis="none_needed", adequacy=None, module=None, tia=False,
         warn=False),
    case("eea-multi", "French processor using Irish and Dutch data centres: all EEA, nothing to do.",
         country="FR", processing=["IE", "NL"], third=False, basis="none_needed", module=None, tia=False, warn=False),
    case("efta-norway", "Norwegian processor: Norway is EEA (EFTA), not a third country.",
         country="NO", third=False, basis="none_needed", module=None, tia=False, warn=False),
    case("swiss-processor", "Swiss processor: third country, covered by Decision 2000/518/EC, no SCCs.",
         country="CH", third=True, basis="adequacy", adequacy="CH", module=None, tia=False, warn=False),
    case("us-dpf", "US processor certified under the DPF: covered by (EU) 2023/1795, basis dpf, no TIA, "
         "but a CLOUD Act jurisdiction warning.",
         country="US", dpf="yes", third=True, basis="dpf", adequacy="US", module=None, tia=False, warn=True),
    case("us-no-dpf", "US processor without DPF: SCC Module 2 (controller to processor) plus TIA, CLOUD Act warning.",
         country="US", dpf="no", third=True, basis="scc", adequacy=None, module=2, tia=True, warn=True),
    case("us-dpf-unknown", "US processor with unknown DPF status counts as not certified: SCC Module 2 plus TIA.",
         country="US", dpf="unknown", third=True, basis="scc", module=2, tia=True, warn=True),
    case("uk", "UK processor: adequacy decision (EU) 2021/1772, renewed until 2031-12-27.",
         country="GB", third=True, basis="adequacy", adequacy="GB", module=None, tia=False, warn=False),
    case("uk-alias", "'UK' typed instead of the ISO code GB is understood as GB.",
         country="UK", third=True, basis="adequacy", adequacy="GB", module=None, tia=False, warn=False),
    case("us-parent-eu-storage", "Irish subsidiary of a US group, data stored in Germany: no transfer, but the US "
         "parent means US law (CLOUD Act) can reach the data — jurisdiction warning.",
         country="IE", processing=["DE"], parent="US", third=False, basis="none_needed", module=None, tia=False,
         warn=True),
    case("indian-subprocessor", "German processor with an Indian support sub-processor: the direct transfer needs "
         "nothing; the onward transfer to India needs SCC Module 3 (processor to processor) and a TIA.",
         country="DE", subs=[SubProcessor("IN")], third=False, basis="none_needed", module=None, tia=False,
         warn=False, onward=[("IN", "scc", 3)]),
    case("special-category-no-safeguards", "Health data to an Indian processor: no adequacy; SCC Module 2, TIA, and "
         "the special-categories warning.",
         country="IN", categories=("personal", "health"), third=True, basis="scc", module=2, tia=True,
         warn=False, special=True),
    case("canada-pipeda-yes", "Canadian processor subject to PIPEDA: covered by Decision 2002/2/EC.",
         country="CA", pipeda="yes", third=True, basis="adequacy", adequacy="CA", module=None, tia=False, warn=False),
    case("canada-pipeda-no", "Canadian body not subject to PIPEDA: decision does not apply; SCC Module 2 plus TIA.",
         country="CA", pipeda="no", third=True, basis="scc", module=2, tia=True, warn=False),
    case("japan", "Japanese processor (private sector, APPI): covered by (EU) 2019/419.",
         country="JP", third=True, basis="adequacy", adequacy="JP", module=None, tia=False, warn=False),
    case("korea", "Korean processor subject to PIPA: covered by (EU) 2022/254.",
         country="KR", third=True, basis="adequacy", adequacy="KR", module=None, tia=False, warn=False),
    case("brazil", "Brazilian processor: covered by (EU) 2026/179 (adopted 26 January 2026).",
         country="BR", third=True, basis="adequacy", adequacy="BR", module=None, tia=False, warn=False),
    case("controller-to-controller", "We (controller) share data with an independent controller in Australia: "
         "SCC Module 1 plus TIA.",
         our=C, vendor=C, country="AU", third=True, basis="scc", module=1, tia=True, warn=False),
    case("processor-to-processor", "We are a processor engaging a US sub-processor without DPF: SCC Module 3.",
         our=P, vendor=S, country="US", dpf="no", third=True, basis="scc", module=3, tia=True, warn=True),
    case("processor-to-processor-vendor-role-processor", "We are a processor, vendor role given as processor "
         "(Singapore): still Module 3.",
         our=P, vendor=P, country="SG", third=True, basis="scc", module=3, tia=True, warn=False),
    case("processor-to-controller", "We are a processor returning data to our controller client in India: Module 4.",
         our=P, vendor=C, country="IN", third=True, basis="scc", module=4, tia=True, warn=False),
    case("controller-to-subprocessor", "A controller contracting a 'sub-processor' directly (China) is treated as "
         "its processor: Module 2.",
         our=C, vendor=S, country="CN", third=True, basis="scc", module=2, tia=True, warn=False),
    case("eu-vendor-us-processing", "German vendor that processes in the US (no DPF on record): a third-country "
         "transfer by the vendor as exporter — Module 3 (processor to its processing abroad) plus TIA.",
         country="DE", processing=["DE", "US"], third=True, basis="scc", module=3, tia=True, warn=False),
    case("mixed-adequate-and-not", "Swiss vendor processing in Switzerland and in India: the weakest destination "
         "decides — SCCs (Module 2) and TIA for India.",
         country="CH", processing=["CH", "IN"], third=True, basis="scc", module=2, tia=True, warn=False),
    case("non-personal-data", "Only internal non-personal data to a US vendor: Chapter V does not apply; the CLOUD "
         "Act warning stays.",
         country="US", categories=("internal",), third=False, basis="none_needed", module=None, tia=False, warn=True),
    case("no-categories-assumed-personal", "No data categories given to an Indian vendor: personal data is assumed; "
         "SCC Module 2 plus TIA.",
         country="IN", categories=(), third=True, basis="scc", module=2, tia=True, warn=False),
    case("us-subprocessor-dpf", "EU vendor with a DPF-certified US sub-processor: onward transfer covered by the DPF.",
         country="NL", subs=[SubProcessor("US", dpf="yes")], third=False, basis="none_needed", module=None,
         tia=False, warn=False, onward=[("US", "dpf", None)]),
    case("us-vendor-many-subs", "US vendor with DPF, a Swiss and an Australian sub-processor: direct transfer on DPF; "
         "onward CH adequacy, AU SCC Module 3.",
         country="US", dpf="yes", subs=[SubProcessor("CH"), SubProcessor("AU")], third=True, basis="dpf",
         adequacy="US", module=None, tia=False, warn=True, onward=[("CH", "adequacy", None), ("AU", "scc", 3)]),
    case("controller-vendor-subprocessor", "An independent controller in Israel (adequacy) with an Indian "
         "sub-processor: onward transfer controller → processor, Module 2.",
         our=C, vendor=C, country="IL", subs=[SubProcessor("IN")], third=True, basis="adequacy", adequacy="IL",
         module=None, tia=False, warn=False, onward=[("IN", "scc", 2)]),
    case("us-parent-uk-vendor", "UK vendor with a US parent: UK adequacy covers the transfer; CLOUD Act warning.",
         country="GB", parent="US", third=True, basis="adequacy", adequacy="GB", module=None, tia=False, warn=True),
]


@pytest.mark.parametrize("inp, expect, outcome", CASES)
def test_worked_case(inp, expect, outcome):
    assert outcome  # every case states its expected outcome in words
    result = check(inp)
    data = result.to_dict()
    assert data["third_country_transfer"] is expect["third"], outcome
    assert data["basis"] == expect["basis"], outcome
    if "adequacy" in expect:
        assert data["adequacy_country"] == expect["adequacy"], outcome
    assert data["scc_module"] == expect["module"], outcome
    assert data["tia_required"] is expect["tia"], outcome
    assert (data["jurisdiction_warning"] is not None) is expect["warn"], outcome
    if "special" in expect:
        assert data["special_categories"] is expect["special"]
        assert any("Art. 9" in step for step in data["reasoning"])
    got_onward = [(o["country"], o["basis"], o["scc_module"]) for o in data["onward_transfers"]]
    assert got_onward == expect.get("onward", []), outcome
    # the reasoning is step by step, starts with the roles and ends with the result
    assert data["reasoning"][0].startswith("Roles:")
    assert any(step.startswith("Result:") for step in data["reasoning"])
    de = result.to_dict("de")
    assert de["reasoning"][0].startswith("Rollen:") and de["basis"] == data["basis"]


def test_there_are_at_least_25_worked_cases():
    assert len(CASES) >= 25


def test_reasoning_names_the_decision_and_module():
    data = check(TransferInput(our_role=C, vendor_role=P, vendor_country="CH")).to_dict()
    assert any("2000/518/EC" in s for s in data["reasoning"])
    data = check(TransferInput(our_role=C, vendor_role=P, vendor_country="US", dpf="no")).to_dict()
    assert any("Module 2: controller to processor" in s for s in data["reasoning"])
    assert any("CLOUD Act" in s for s in data["reasoning"])
    de = check(TransferInput(our_role=C, vendor_role=P, vendor_country="US", dpf="no")).to_dict("de")
    assert any("Modul 2: Verantwortlicher an Auftragsverarbeiter" in s for s in de["reasoning"])
    assert any("Vereinigte Staaten (US)" in s for s in de["reasoning"])


def test_uk_entry_is_shown_as_unconfirmed_where_not_verified():
    data = check(TransferInput(our_role=C, vendor_role=P, vendor_country="GB")).to_dict()
    assert any("not yet confirmed" in s for s in data["reasoning"])


def test_expired_adequacy_does_not_cover(monkeypatch):
    from vendorvet.engine import transfer

    tc = transfer.load_content()
    gb = tc.adequacy["GB"]
    data = check(TransferInput(our_role=C, vendor_role=P, vendor_country="GB",
                               today=gb.valid_until + dt.timedelta(days=1))).to_dict()
    assert data["basis"] == "scc" and data["scc_module"] == 2
    assert any("expired" in s for s in data["reasoning"])


@pytest.mark.parametrize("kwargs", [
    dict(our_role="joint", vendor_role=P, vendor_country="DE"),
    dict(our_role=C, vendor_role="owner", vendor_country="DE"),
    dict(our_role=C, vendor_role=P, vendor_country="XX"),
    dict(our_role=C, vendor_role=P, vendor_country="DE", processing_countries=("ZZ",)),
    dict(our_role=C, vendor_role=P, vendor_country="US", dpf="maybe"),
])
def test_bad_input_is_rejected(kwargs):
    with pytest.raises(TransferInputError):
        check(TransferInput(**kwargs))


def test_parse_sub_processor():
    assert parse_sub_processor("US:dpf=yes") == SubProcessor("US", dpf="yes")
    assert parse_sub_processor("IN") == SubProcessor("IN")
    with pytest.raises(TransferInputError):
        parse_sub_processor("US:certified")
    with pytest.raises(TransferInputError):
        parse_sub_processor("US:dpf=perhaps")
