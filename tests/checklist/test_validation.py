"""Every kind of content defect is refused with a message naming the requirement and the problem."""

from __future__ import annotations

import pytest

from vendorvet import content
from vendorvet.content import ContentError
from vendorvet.engine.checklist import build_checklist, build_frameworks

from .conftest import CHECKLIST_YAML, FRAMEWORKS_YAML


def edit(old: str, new: str, text: str = CHECKLIST_YAML) -> str:
    assert text.count(old) == 1, f"test edit must match exactly once: {old!r}"
    return text.replace(old, new)


def test_the_worked_example_is_valid(build):
    checklist = build()
    assert checklist.version == "test-1"
    assert [r.id for r in checklist.requirements] == [
        "cert.any", "enc.tls", "lifecycle.notice", "resilience.bcp", "legal.avv"]
    assert [m.label for m in checklist.requirement("enc.tls").mappings] == [
        "ISO/IEC 27001:2022 A.8.24", "GDPR Art. 32(1)(a)"]
    assert checklist.requirement("enc.tls").mappings[0].control_title == "Use of cryptography"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # missing German text / guidance, English guidance, an unknown language key
        ('text: {de: "Zertifikat vorhanden", en: "Certificate on file"}', 'text: {en: "Certificate on file"}',
         "requirement cert.any.text: missing German text ('de')"),
        ('text: {de: "Zertifikat vorhanden", en: "Certificate on file"}',
         'text: {de: "  ", en: "Certificate on file"}', "requirement cert.any.text: missing German text"),
        ('guidance: {de: "Trust-Center prüfen", en: "Check the trust centre"}', 'guidance: {de: "Trust-Center prüfen"}',
         "requirement cert.any.guidance: missing English text ('en')"),
        ('guidance: {de: "Trust-Center prüfen", en: "Check the trust centre"}',
         'guidance: {de: "Trust-Center prüfen", en: "Check", fr: "Vérifier"}',
         "requirement cert.any.guidance: unknown language(s) ['fr']"),
        # duplicate id
        ("- id: resilience.bcp", "- id: cert.any", "requirement cert.any: duplicate id"),
        # unknown framework control, unknown framework, a control written as a number
        ("mappings: {iso27001_2022: ['5.19']}", "mappings: {iso27001_2022: ['5.99']}",
         "requirement cert.any.mappings: ISO/IEC 27001:2022 Annex A: unknown control '5.99'"),
        ("mappings: {iso27001_2022: ['5.19']}", "mappings: {cobit: ['APO10']}",
         "requirement cert.any.mappings: unknown framework 'cobit'"),
        ("mappings: {iso27001_2022: ['5.19']}", "mappings: {iso27001_2022: [5.19]}",
         "requirement cert.any.mappings.iso27001_2022: must be a list of strings"),
        ("mappings: {iso27001_2022: ['5.19']}", "mappings: {iso27001_2022: ['5.19', '5.19']}",
         "lists ['5.19'] more than once"),
        # unknown check id, a malformed one
        ("check_ids: [tls.protocol.tls13]", "check_ids: [tls.protocol.tls14]",
         "requirement enc.tls: unknown check id 'tls.protocol.tls14'"),
        ("check_ids: [tls.protocol.tls13]", "check_ids: [TLS 1.3]",
         "requirement enc.tls: check id 'TLS 1.3' is not a dotted lower-case id"),
        # automated checks need the automated_check evidence type
        ("evidence_types: [automated_check]\n    check_ids: [tls.protocol.tls13]",
         "evidence_types: [certificate]\n    check_ids: [tls.protocol.tls13]",
         "requirement enc.tls: cites automated checks but does not list 'automated_check'"),
        # unknown evidence type, none at all
        ("evidence_types: [certificate]", "evidence_types: [pinky_promise]",
         "requirement cert.any: unknown evidence type 'pinky_promise'"),
        ("evidence_types: [certificate]", "evidence_types: []",
         "requirement cert.any.evidence_types: must not be empty"),
        # point: out of range, not defined, and a point left without requirements
        ("point: 9\n", "point: 11\n", "requirement resilience.bcp: point must be 1–10 or 'legal', got 11"),
        ("point: 9\n", "point: 3\n", "requirement resilience.bcp: point 3 is not defined under 'points'"),
        ("- {id: 9, title:", "- {id: 3, title: {de: x, en: y}}\n  - {id: 9, title:",
         "checklist: points: point(s) [3] have no requirements"),
        ("- {id: 5, title:", "- {id: 1, title: {de: x, en: y}}\n  - {id: 5, title:", "point 1 is defined twice"),
        # depth rule
        ("max_tier: 1\n", "max_tier: 5\n", "requirement resilience.bcp: max_tier must be one of (1, 2, 3, 4), got 5"),
        ("max_tier: 1\n", "max_tier: '1'\n", "max_tier must be one of (1, 2, 3, 4), got '1'"),
        # a typo in a field name, a missing field, an unknown condition
        ("    guidance: {de: \"Testbericht anfordern\"", "    guidence: {de: \"Testbericht anfordern\"",
         "requirement resilience.bcp: missing field(s) ['guidance']"),
        ("    applies_when: [personal_data]\n", "    applies_when: [personal_data]\n    weight: 3\n",
         "requirement legal.avv: unknown field(s) ['weight']"),
        ("applies_when: [personal_data]", "applies_when: [health_data]",
         "requirement legal.avv: unknown condition 'health_data'"),
        # ids and sources
        ("- id: cert.any", "- id: Cert Any", "id 'Cert Any' must look like 'area.topic'"),
        ("  - https://eur-lex.europa.eu/eli/reg/2016/679/oj\npoints", "  - GDPR, somewhere\npoints",
         "checklist: source: 'GDPR, somewhere' is not an https:// URL"),
    ],
)
def test_defect_is_refused_with_a_precise_message(build, old, new, message):
    with pytest.raises(ContentError) as caught:
        build(edit(old, new))
    assert message in str(caught.value)


def test_a_checklist_without_version_or_source_is_refused_by_the_loader():
    with pytest.raises(ContentError, match="'version' is required"):
        content.parse("checklist", edit("version: 'test-1'\n", ""))


def test_a_checklist_may_be_validated_against_another_set_of_check_ids(frameworks):
    data = content.parse("checklist", CHECKLIST_YAML)
    with pytest.raises(ContentError, match="unknown check id 'tls.protocol.tls13'"):
        build_checklist(data, frameworks, check_ids={"api.lifecycle.deprecation"})
    checklist = build_checklist(data, frameworks, check_ids={"api.lifecycle.deprecation", "tls.protocol.tls13"})
    assert checklist.requirements_for_check("tls.protocol.tls13")[0].id == "enc.tls"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      '5.19': Information", "      5.19: Information", "id 5.19 must be a quoted string"),
        ("      '8.24': Use of cryptography\n", "      '8.24': ''\n", "controls.8.24: needs a short title"),
        ("    citation: 'A.{control}'\n", "    citation: 'Annex A'\n", "citation: must contain '{control}'"),
        ("    short: GDPR\n", "", "frameworks.gdpr: missing ['short']"),
        ("    url: https://www.iso.org/standard/27001\n", "    url: http://www.iso.org/standard/27001\n",
         "frameworks.iso27001_2022.url: must be an https:// URL"),
    ],
)
def test_framework_defects_are_refused(old, new, message):
    assert FRAMEWORKS_YAML.count(old) == 1
    with pytest.raises(ContentError) as caught:
        build_frameworks(content.parse("frameworks", FRAMEWORKS_YAML.replace(old, new)))
    assert message in str(caught.value)
