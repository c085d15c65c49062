"""The scan check ``location.country`` and the transfer engine agree on the EEA and on adequacy, for every
country of the content list, at dates around the dated decisions (the UK's expires, Brazil's is recent):
both read ``content/eea_adequacy.yaml`` through ``engine.reference``."""

from __future__ import annotations

import datetime as dt

import pytest

from vendorvet import content
from vendorvet.engine import reference, registry, transfer
from vendorvet.engine.facts import AddressLocation, LocationFacts, ScanFacts
from vendorvet.engine.models import Attempt, Severity, Status, parse_target
from vendorvet.engine.runner import evaluate

COUNTRIES = sorted(content.load("countries")["countries"])
UK_EXPIRY = reference.load_content().adequacy["GB"].valid_until
DATES = (dt.date(2026, 6, 1), UK_EXPIRY, UK_EXPIRY + dt.timedelta(days=1))


def scan_verdict(code: str, on: dt.date):
    now = dt.datetime.combine(on, dt.time(12), tzinfo=dt.timezone.utc)
    location = LocationFacts((AddressLocation("192.0.2.1", code),), "test")
    facts = ScanFacts(target=parse_target("api.vendor.example"), location=Attempt.success(location), now=now)
    [finding] = evaluate(facts, [registry.all_checks()["location.country"]])
    return finding


def transfer_basis(code: str, on: dt.date, dpf: str = "no") -> str:
    result = transfer.check(transfer.TransferInput(our_role="controller", vendor_role="processor",
                                                   vendor_country=code, dpf=dpf, canada_pipeda="yes", today=on))
    return result.basis


@pytest.mark.parametrize("on", DATES, ids=str)
def test_scan_check_and_transfer_engine_agree_for_every_country(on):
    disagree = []
    for code in COUNTRIES:
        finding = scan_verdict(code, on)
        basis = transfer_basis(code, on)
        adequacy = finding.evidence.get("adequacy", {})
        if basis == "none_needed":  # in the EEA
            agrees = finding.status == Status.PASS and code not in finding.evidence["outside_eea"]
        elif basis == "adequacy":
            agrees = adequacy.get(code) == "adequacy decision" and finding.severity == Severity.LOW
        else:  # scc: no adequacy decision covers an importer the address says nothing more about
            agrees = (finding.status == Status.WARN and finding.severity == Severity.MEDIUM
                      and adequacy.get(code) in (None, reference.adequacy_on(code, on) and
                                                 "only for organisations certified under the EU-US Data "
                                                 "Privacy Framework"))
        if not agrees:
            disagree.append((code, basis, finding.status.value, finding.severity.value, adequacy))
    assert len(COUNTRIES) > 240
    assert disagree == []


def test_the_dated_and_recent_decisions_are_seen_by_both():
    assert scan_verdict("BR", DATES[0]).evidence["adequacy"] == {"BR": "adequacy decision"}  # was missing
    assert transfer_basis("BR", DATES[0]) == "adequacy"
    assert scan_verdict("GB", UK_EXPIRY).evidence["adequacy"] == {"GB": "adequacy decision"}
    after = UK_EXPIRY + dt.timedelta(days=1)
    assert scan_verdict("GB", after).evidence["adequacy"] == {} and transfer_basis("GB", after) == "scc"
    # the US decision needs a certified importer: partial for the address, "dpf" only when certified
    assert transfer_basis("US", DATES[0], dpf="yes") == "dpf"
    assert "Data Privacy Framework" in scan_verdict("US", DATES[0]).evidence["adequacy"]["US"]


def test_eea_name_kept_importable_from_the_check_module():
    from vendorvet.engine.checks.location.country import EEA

    assert EEA == reference.eea() == transfer.load_content().eea and len(EEA) == 30
