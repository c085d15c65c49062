"""location.country: offline IP-to-country data for every resolved address, flagged outside the EEA.

Names are resolved by a loopback DNS server to public addresses whose registry country is well known;
only the location check runs, so nothing connects to those addresses.
"""

from __future__ import annotations

import datetime as dt
import pytest

from tests.engine.servers.dns import dns_server
from vendorvet.engine.facts import AddressLocation, LocationFacts, ScanFacts
from vendorvet.engine.models import Attempt, Severity, Status, parse_target
from vendorvet.engine.runner import ScanOptions, scan

# Long-standing registry allocations: heise (RIPE, DE), TU Berlin (RIPE, DE), Google DNS (ARIN, US),
# Cloudflare/APNIC research (APNIC, AU), Google IPv6 in RIPE's region (IE).
DE_1, DE_2, US, AU, IE_V6 = "193.99.144.80", "130.149.7.201", "8.8.8.8", "1.1.1.1", "2a00:1450:4001::1"

RECORDS = {
    ("api.eu-vendor.test", "A"): [DE_1, DE_2],
    ("api.eu-vendor.test", "AAAA"): [IE_V6],
    ("api.us-vendor.test", "A"): [US],
    ("api.mixed-vendor.test", "A"): [DE_1, AU],
    ("api.internal-vendor.test", "A"): ["10.1.2.3"],
}


@pytest.fixture(scope="module")
def nameserver():
    with dns_server(RECORDS) as port:
        yield f"127.0.0.1:{port}"


def locate(host: str, nameserver: str, **options):
    [result] = scan([parse_target(f"https://{host}/")],
                    ScanOptions(timeout=3, checks=["location"], nameserver=nameserver, **options))
    [finding] = result.findings
    assert finding.check_id == "location.country"
    return result, finding


def test_all_addresses_in_the_eea_pass(nameserver):
    result, finding = locate("api.eu-vendor.test", nameserver)
    assert finding.status == Status.PASS
    assert finding.evidence["countries"] == ["DE", "IE"]
    assert finding.evidence["outside_eea"] == []
    assert {row["address"]: row["country"] for row in finding.evidence["addresses"]} == {
        DE_1: "DE", DE_2: "DE", IE_V6: "IE"}
    assert finding.evidence["source"].startswith("RIR delegation data via iptocc ")
    assert sorted(result.addresses) == sorted([DE_1, DE_2, IE_V6])


def test_outside_the_eea_is_flagged_with_the_transfer_basis(nameserver):
    _, finding = locate("api.us-vendor.test", nameserver)
    assert finding.status == Status.WARN
    assert finding.evidence["outside_eea"] == ["US"]
    assert "Data Privacy Framework" in finding.evidence["adequacy"]["US"]
    assert "outside the EEA: US" in finding.detail
    assert finding.severity == Severity.MEDIUM  # DPF covers certified organisations only: not provable here


def test_mixed_countries_name_both_and_a_non_adequate_country_weighs_more(nameserver):
    _, finding = locate("api.mixed-vendor.test", nameserver)
    assert finding.status == Status.WARN
    assert finding.evidence["countries"] == ["AU", "DE"]
    assert finding.evidence["outside_eea"] == ["AU"]
    assert finding.evidence["adequacy"] == {}
    assert finding.severity == Severity.MEDIUM
    assert "in the EEA: DE" in finding.detail


def test_internal_addresses_have_no_country(nameserver):
    _, finding = locate("api.internal-vendor.test", nameserver, allow_private=True)
    assert finding.status == Status.NOT_APPLICABLE
    [row] = finding.evidence["addresses"]
    assert row == {"address": "10.1.2.3", "country": None, "public": False, "note": "10.1.2.3 is private (RFC 1918)"}


def test_a_refused_target_is_not_located(nameserver):
    # Like every other check of a target the SSRF guard refused: an error naming the refusal, never a verdict.
    _, finding = locate("api.internal-vendor.test", nameserver)
    assert finding.status == Status.ERROR and finding.evidence["reason"] == "refused_by_policy"


def test_unresolvable_name_is_an_error_not_a_pass(nameserver):
    _, finding = locate("nowhere.eu-vendor.test", nameserver)
    assert finding.status == Status.ERROR


def facts_with(*rows: AddressLocation) -> ScanFacts:
    return ScanFacts(target=parse_target("api.vendor.test"), now=dt.datetime.now(dt.timezone.utc),
                     location=Attempt.success(LocationFacts(addresses=rows, source="test")))


def run_check(facts: ScanFacts):
    from vendorvet.engine import registry
    from vendorvet.engine.runner import evaluate

    [finding] = evaluate(facts, [registry.all_checks()["location.country"]])
    return finding


def test_unknown_country_is_not_a_silent_pass():
    finding = run_check(facts_with(AddressLocation("193.99.144.80", "DE"), AddressLocation("203.0.114.9", None)))
    assert finding.status == Status.WARN and "no country is known for 203.0.114.9" in finding.detail
    finding = run_check(facts_with(AddressLocation("203.0.114.9", None)))
    assert finding.status == Status.INFO


def test_adequacy_country_outside_the_eea_is_a_low_warning():
    finding = run_check(facts_with(AddressLocation("1.2.3.4", "CH")))
    assert (finding.status, finding.severity) == (Status.WARN, Severity.LOW)
    assert finding.evidence["adequacy"] == {"CH": "adequacy decision"}


def test_eea_but_not_eu_countries_pass():
    finding = run_check(facts_with(AddressLocation("1.2.3.4", "NO"), AddressLocation("1.2.3.5", "IS")))
    assert finding.status == Status.PASS


def test_collector_failure_is_an_error():
    facts = ScanFacts(target=parse_target("api.vendor.test"),
                      location=Attempt.failure("not_installed", "the offline IP-to-country data is not installed"))
    finding = run_check(facts)
    assert finding.status == Status.ERROR and "not installed" in finding.detail


def test_collector_looks_up_offline_without_the_network():
    from vendorvet.engine.collectors.location import collect_location

    attempt = collect_location([US, "127.0.0.1", US, "::ffff:10.0.0.1"])
    assert attempt.ok
    assert [(a.address, a.country, a.public) for a in attempt.value.addresses] == [
        (US, "US", True), ("127.0.0.1", None, False), ("::ffff:a00:1", None, False)]
    assert not collect_location([]).ok
