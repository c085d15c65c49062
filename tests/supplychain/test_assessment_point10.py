"""Checklist point 10 in the review UI: the latest SBOM's facts and a suggested answer for supply.sbom."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import acting
from tests.web.conftest import assert_csp_clean

pytestmark = pytest.mark.django_db
POINT_10 = ["supply.sbom", "supply.vuln_handling", "supply.subprocessors"]


def card(html: str, requirement: str) -> str:
    match = re.search(r'<article class="card answer[^"]*" id="answer-\d+" data-requirement="%s">(.*?)</article>'
                      % re.escape(requirement), html, re.S)
    assert match, requirement
    return match.group(1)


def start(tenant, user, integration):
    from vendorvet.web.assessments import services

    with acting(tenant, user):
        # point 10 is mandatory only from tier 2 up: choose its requirements for the low-tier test integration
        return services.start_assessment(integration, optional=POINT_10)


def test_point_10_shows_sbom_facts_and_suggests_an_answer(tenant_a, admin_a, assessor_a, sboms_a, login):
    from vendorvet.web.assessments.models import Answer

    assessment = start(tenant_a, admin_a, sboms_a["integration"])
    client = login(assessor_a)
    html = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    sbom_card = card(html, "supply.sbom")
    latest = sboms_a["new"]  # version 1.1: lodash (high) and SYNTH-2026-0002
    assert reverse("supplychain:sbom", args=[latest.pk]) in sbom_card
    assert "SBOM for version 1.1" in sbom_card and "4 components" in sbom_card
    assert "2 known vulnerabilities" in sbom_card and 'badge sev-high' in sbom_card
    assert "Suggested answer: Not met" in sbom_card  # a high-severity known vulnerability
    assert "From SBOM 1.1: 4 components, 2 known vulnerabilities." in sbom_card
    vuln_card = card(html, "supply.vuln_handling")  # facts shown, no suggestion
    assert "SBOM for version 1.1" in vuln_card and "Suggested answer" not in vuln_card
    assert "Suggested answer" not in card(html, "supply.subprocessors")
    assert_csp_clean(html)

    # Applying the suggestion answers the requirement with the SBOM as the comment (HTMX fragment re-rendered).
    with acting(tenant_a, admin_a):
        answer = Answer.objects.get(assessment=assessment, requirement_id="supply.sbom")
    fragment = client.post(reverse("assessments:answer", args=[answer.pk]),
                           {f"a{answer.pk}-value": "not_met",
                            f"a{answer.pk}-comment": "From SBOM 1.1: 4 components, 2 known vulnerabilities."},
                           HTTP_HX_REQUEST="true").content.decode()
    assert "SBOM for version 1.1" in fragment
    with acting(tenant_a, admin_a):
        answer.refresh_from_db()
        assert answer.value == "not_met" and answer.comment.startswith("From SBOM 1.1")


def test_point_10_without_sbom_links_to_the_import_and_clean_sbom_suggests_met(
        tenant_a, admin_a, assessor_a, crm_a, osv_db, login, make_integration):
    from vendorvet.web.supplychain import services as supply

    assessment = start(tenant_a, admin_a, crm_a)
    client = login(assessor_a)
    html = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    sbom_card = card(html, "supply.sbom")
    assert "No SBOM imported for this integration yet." in sbom_card
    assert reverse("supplychain:integration", args=[crm_a.pk]) in sbom_card
    assert "Suggested answer" not in sbom_card

    clean = make_integration(tenant_a, "Clean App")
    with acting(tenant_a, admin_a):
        supply.import_sbom(clean, b'{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": '
                                  b'"library", "name": "requests", "purl": "pkg:pypi/requests@2.32.3"}]}', label="1")
    other = start(tenant_a, admin_a, clean)
    html = client.get(reverse("assessments:detail", args=[other.pk])).content.decode()
    assert "Suggested answer: Met" in card(html, "supply.sbom")
    assert "0 known vulnerabilities" in card(html, "supply.sbom")
