import pytest

from vendorvet.engine.supplychain import osv
from vendorvet.engine.supplychain.match import PackageRef, match_component, parse_purl

from .conftest import load_record


def aff(record_id, index=0):
    return load_record(record_id)["affected"][index]


@pytest.mark.parametrize("version,expected", [
    ("3.1.2", True), ("2.11.3", True), ("3.1.3rc1", True), ("3.1.3", False), ("3.1.4", False),
])
def test_jinja2_introduced_zero_fixed(version, expected):
    assert osv.affects(aff("GHSA-h5c8-rqwp-cp95"), version, "PyPI") is expected


@pytest.mark.parametrize("version,expected", [
    ("2.0-beta8", False), ("2.0-beta9", True), ("2.0-rc1", True), ("2.3", True), ("2.3.1", False),
    ("2.3.2", False), ("2.4", True), ("2.4.0", True), ("2.12.1", True), ("2.12.2", False), ("2.12.4", False),
    ("2.13.0", True), ("2.14.1", True), ("2.15.0", False), ("2.17.1", False),
])
def test_log4j_multiple_ranges_and_maven_qualifiers(version, expected):
    assert osv.affects(aff("GHSA-jfh8-c2jp-5v3q"), version, "Maven") is expected


@pytest.mark.parametrize("version,expected", [
    ("1.20.9", True), ("1.20.10", False), ("1.21.0-rc.1", True), ("1.21.0", True), ("1.21.2", True),
    ("1.21.3", False), ("1.22.0", False),
])
def test_go_stdlib_semver_reintroduced(version, expected):
    assert osv.affects(aff("GO-2023-2102", 0), version, "Go") is expected


@pytest.mark.parametrize("version,expected", [("v0.15.0", True), ("0.16.0", True), ("v0.17.0", False),
                                              ("v0.0.0-20230905200255-921286631fa9", True)])
def test_golang_x_net_v_prefix_and_pseudo_versions(version, expected):
    assert osv.affects(aff("GO-2023-2102", 1), version, "Go") is expected


def test_go_incompatible_build_metadata_ignored():
    a = aff("SYNTH-2026-0010")
    assert osv.affects(a, "v2.0.0+incompatible", "Go")
    assert not osv.affects(a, "v2.0.1+incompatible", "Go")


@pytest.mark.parametrize("version,expected", [
    ("1!0.5", True), ("1!1.9", True), ("1!2.0rc1", True), ("1!2.0", False), ("9.9", False), ("3.0", False),
])
def test_pypi_epochs_and_prereleases(version, expected):
    assert osv.affects(aff("SYNTH-2026-0001"), version, "PyPI") is expected


@pytest.mark.parametrize("version,expected", [
    ("0.9.0", False), ("1.0.0", True), ("1.4.2", True), ("1.4.3", False), ("1.4.3-beta.1", False), ("2.0.0", False),
])
def test_last_affected_is_inclusive(version, expected):
    assert osv.affects(aff("SYNTH-2026-0002"), version, "npm") is expected


@pytest.mark.parametrize("version,expected", [
    ("1.0.0", True), ("1.4.9", True), ("1.5.0", False), ("1.9.0", False), ("2.0.5", True), ("2.1.0", False),
])
def test_limit_events(version, expected):
    assert osv.affects(aff("SYNTH-2026-0003"), version, "crates.io") is expected


def test_explicit_versions_list():
    a = aff("SYNTH-2026-0004")
    assert osv.affects(a, "0.3.1", "crates.io")
    assert not osv.affects(a, "0.3.3", "crates.io")


@pytest.mark.parametrize("eco,rid,version,expected", [
    ("RubyGems", "SYNTH-2026-0006", "1.1.9", True), ("RubyGems", "SYNTH-2026-0006", "1.2", False),
    ("RubyGems", "SYNTH-2026-0006", "1.2.0.rc1", True),
    ("NuGet", "SYNTH-2026-0007", "2.0.0-preview2", True), ("NuGet", "SYNTH-2026-0007", "2.0.0-alpha", False),
    ("NuGet", "SYNTH-2026-0007", "2.0.1.0", False),
    ("Packagist", "SYNTH-2026-0008", "v1.1.0", True), ("Packagist", "SYNTH-2026-0008", "1.2.0-RC1", True),
    # OSV tools / PHP version_compare: "1.2" < "1.2.0", so it is still inside [1.0.0, 1.2.0).
    ("Packagist", "SYNTH-2026-0008", "1.2", True), ("Packagist", "SYNTH-2026-0008", "1.2.0.0", False),
])
def test_other_ecosystems(eco, rid, version, expected):
    assert osv.affects(aff(rid), version, eco) is expected


def test_git_ranges_are_skipped_and_bad_versions_do_not_match():
    a = {"package": {"ecosystem": "PyPI", "name": "x"},
         "ranges": [{"type": "GIT", "repo": "https://example.invalid/x", "events": [{"introduced": "0"}]}]}
    assert not osv.affects(a, "1.0", "PyPI")
    assert not osv.affects(aff("GHSA-h5c8-rqwp-cp95"), "not-a-version!", "PyPI")


def test_event_with_two_kinds_is_invalid():
    rng = {"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1.0"}]}
    with pytest.raises(osv.InvalidRecord):
        osv.in_range("0.5", rng, "PyPI")


def test_severity_from_cvss_vectors():
    assert osv.record_severity(load_record("GHSA-jfh8-c2jp-5v3q")) == osv.Severity(
        "critical", 10.0, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
    s = osv.record_severity(load_record("GHSA-h5c8-rqwp-cp95"))
    assert (s.label, s.score) == ("medium", 5.4)
    v4 = osv.record_severity(load_record("SYNTH-2026-0001"))
    assert v4.label == "critical" and v4.score == 9.3
    assert osv.record_severity(load_record("GO-2023-2102")).label == "unknown"
    assert osv.record_severity({"id": "x", "database_specific": {"severity": "MODERATE"}}).label == "medium"


def test_purl_mapping():
    assert parse_purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1") == PackageRef(
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven", "org.apache.logging.log4j:log4j-core",
        "2.14.1")
    assert parse_purl("pkg:npm/%40angular/core@1.0.0").name == "@angular/core"
    assert parse_purl("pkg:golang/golang.org/x/net@v0.15.0").name == "golang.org/x/net"
    assert parse_purl("not a purl") is None


def test_aliases_merged_into_one_finding(osv_store):
    findings = match_component(osv_store, parse_purl("pkg:golang/golang.org/x/net@v0.15.0"))
    assert len(findings) == 1
    f = findings[0]
    assert f.id == "GHSA-4374-p667-p6c8"
    assert f.aliases == ["CVE-2023-39325", "GO-2023-2102"]
    assert (f.severity, f.cvss, f.fixed_versions) == ("high", 7.5, ["0.17.0"])


def test_withdrawn_records_never_match(osv_store):
    ids = {f.id for f in match_component(osv_store, parse_purl("pkg:pypi/Jinja2@3.1.5"))}
    assert ids == set()  # SYNTH-2026-0005 (introduced 0, no fix) is withdrawn
    ids = {f.id for f in match_component(osv_store, parse_purl("pkg:pypi/jinja2@3.1.3"))}
    assert ids == {"GHSA-h75v-3vvj-5mfj"}


def test_fixed_versions_listed_after_current(osv_store):
    (f,) = match_component(osv_store, parse_purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.11.0"))
    assert f.fixed_versions[0] == "2.12.2" and f.first_fixed == "2.12.2"
    assert "2.3.1" not in f.fixed_versions


def test_record_aliasing_another_record_id_is_merged(osv_store):
    (f,) = match_component(osv_store, parse_purl("pkg:pypi/epoch-pkg@1!1.0"))
    assert (f.id, f.aliases) == ("SYNTH-2026-0001", ["SYNTH-2026-0009"])
    assert f.fixed_versions == ["1!2.0", "1!2.1"]
    assert (f.severity, f.cvss) == ("critical", 9.8)  # the highest score of the merged records
