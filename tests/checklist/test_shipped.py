"""The shipped checklist and frameworks load, cover every point and map only to listed controls."""

from __future__ import annotations

import pytest

from vendorvet import content
from vendorvet.engine.checklist import LANGUAGES, known_check_ids, load_checklist, load_frameworks

POINTS = (*range(1, 11), "legal")


@pytest.fixture(scope="module")
def checklist():
    return load_checklist()


def test_shipped_content_validates_and_names_version_and_sources(checklist):
    assert checklist.version == str(content.load("checklist")["version"])
    assert "https://eur-lex.europa.eu/eli/reg/2016/679/oj" in checklist.sources
    assert all(source.startswith("https://") for source in checklist.sources)
    assert len(checklist.requirements) >= 50


@pytest.mark.parametrize("point", POINTS)
def test_every_point_has_answerable_requirements(checklist, point):
    found = checklist.point(point)
    assert 3 <= len(found.requirements) <= 9
    assert found.title["de"] and found.title["en"]
    assert all(r.point == point for r in found.requirements)


def test_points_are_exactly_the_seed_ten_plus_legal(checklist):
    assert [p.key for p in checklist.points] == list(POINTS)
    assert checklist.point(1).title["de"] == "Sicherheitszertifikate prüfen"
    assert checklist.point(10).title["de"] == "Abhängigkeiten & Lieferkette"


def test_every_requirement_is_bilingual_and_not_a_copy(checklist):
    for requirement in checklist.requirements:
        for part in (requirement.text, requirement.guidance):
            assert set(part) == set(LANGUAGES)
            assert part["de"] != part["en"], requirement.id
        assert requirement.evidence_types


def test_the_legal_items_are_there(checklist):
    def mapped(requirement_id, framework):
        return checklist.requirement(requirement_id).mappings_for(framework)

    assert "28(3)" in mapped("legal.avv", "gdpr")
    assert mapped("legal.avv.processor_duties", "gdpr") == tuple(f"28(3)({letter})" for letter in "abcdefgh")
    assert "46(2)(c)" in mapped("legal.transfer.scc", "gdpr")
    assert "14" in mapped("legal.transfer.tia", "eu_scc_2021")
    assert mapped("legal.ropa", "gdpr") == ("30(1)",)
    for requirement_id in ("legal.transfer.basis", "legal.transfer.scc", "legal.transfer.tia"):
        assert checklist.requirement(requirement_id).applies_when == {"personal_data", "third_country_transfer"}


def test_every_cited_check_exists_and_every_check_answers_a_requirement(checklist):
    cited = {check for r in checklist.requirements for check in r.check_ids}
    KNOWN_CHECK_IDS = known_check_ids()
    assert cited <= KNOWN_CHECK_IDS
    assert cited == KNOWN_CHECK_IDS, f"checks no requirement uses: {sorted(KNOWN_CHECK_IDS - cited)}"
    assert {r.id for r in checklist.requirements_for_check("location.country")} == {
        "location.declared", "location.endpoints_match", "legal.transfer.basis"}
    assert [r.id for r in checklist.requirements_for_check("tls.protocol.tls13")] == ["enc.transit.tls13"]


@pytest.mark.parametrize(
    ("framework", "controls"),
    [
        ("iso27001_2022", {"5.19", "5.20", "5.21", "5.22", "5.23", "5.30", "8.24", "8.26"}),
        ("nis2", {"21(2)(d)"}),
        ("dora", {"28(5)", "28(6)", "28(8)", "29", "30(2)(b)"}),
        ("gdpr", {"28(3)", "30(1)", "32(1)(a)", "33(2)", "46(2)(c)"}),
        ("bsi_c5_2020", {"CRY-02", "SSO-05", "PSS-12"}),
    ],
)
def test_key_controls_are_mapped(checklist, framework, controls):
    mapped = {m.control for r in checklist.requirements for m in r.mappings if m.framework == framework}
    assert controls <= mapped


def test_frameworks_list_only_what_the_checklist_maps(checklist):
    """No dead entries: every listed control is cited by at least one requirement."""
    frameworks = load_frameworks()
    mapped = {(m.framework, m.control) for r in checklist.requirements for m in r.mappings}
    listed = {(f.id, control) for f in frameworks.values() for control in f.controls}
    assert listed == mapped
    for framework in frameworks.values():
        assert framework.url.startswith("https://") and framework.short and framework.publisher


def test_unverified_dora_letters_are_not_cited(checklist):
    """legal.md marks DORA Art. 30(2)(i) and the letters of 30(3) [verify]: only the paragraph is cited."""
    dora = {m.control for r in checklist.requirements for m in r.mappings if m.framework == "dora"}
    assert "30(3)" in dora
    assert not {c for c in dora if c.startswith("30(3)(") or c == "30(2)(i)"}
