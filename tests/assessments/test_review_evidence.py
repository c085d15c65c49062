"""Review evidence from the registry: a test-only provider, the legal half answering the review, coverage of
the score ("could not check" never moves it) and "evidence changed since your answer"."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import acting
from vendorvet.engine import scoring_review
from vendorvet.web.core import review
from vendorvet.web.core.registry import registry

pytestmark = pytest.mark.django_db

LEGAL_POINTS = ["legal.avv", "legal.avv.processor_duties", "legal.transfer.basis", "legal.transfer.tia",
                "legal.ropa", "contract.audit_right"]


def card(html: str, requirement: str) -> str:
    match = re.search(r'<article class="card answer[^"]*" id="answer-\d+" data-requirement="%s">(.*?)</article>'
                      % re.escape(requirement), html, re.S)
    assert match, requirement
    return match.group(1)


def provider_block(card_html: str, provider: str) -> str:
    match = re.search(r'<div class="auto-evidence small coverage-\w+" data-provider="%s" data-state="(\w+)">(.*?)'
                      r'(?=<div class="auto-evidence|<details class="small">|<form|$)' % provider, card_html, re.S)
    assert match, provider
    return match.group(1) + " " + match.group(2)


class OnlyInTests:
    key = "test-only"
    label = "Test-only evidence"
    order = 99

    def requirement_ids(self):
        return ["cert.recognised"]

    def evidence(self, integration, requirement_ids):
        return {"cert.recognised": review.Suggestion(
            self.key, review.CHECKED, source="test oracle", suggested="partly_met", link="/evidence/42/",
            link_label="Oracle report", lines=(f"Seen for {integration.name}.",), facts=("oracle", 1),
            comment="From the oracle.")}


def test_a_provider_registered_in_tests_shows_on_the_answer_page(login, assessor_a, started):
    client = login(assessor_a)
    url = reverse("assessments:detail", args=[started.pk])
    assert "Test-only evidence" not in card(client.get(url).content.decode(), "cert.recognised")
    with registry.evidence_providers.temporarily(OnlyInTests.key, OnlyInTests()):
        html = client.get(url).content.decode()
    block = card(html, "cert.recognised")
    assert "Test-only evidence" in block and "Seen for Acme CRM." in block and 'href="/evidence/42/"' in block
    assert "verified by test oracle on" not in block and "verified by test oracle" in block  # no date given
    assert "Suggested answer: Partly met" in block and 'value="partly_met"' in block
    assert 'value="From the oracle."' in block  # the comment "apply suggestion" writes


def test_a_suggestion_that_could_not_check_cannot_suggest_an_answer():
    with pytest.raises(ValueError):
        review.Suggestion("x", review.COULD_NOT_CHECK, suggested="met")
    with pytest.raises(ValueError):
        review.Suggestion("x", "maybe")
    ok = review.Suggestion("x", review.COULD_NOT_CHECK, reason="no data")
    assert (ok.ran, ok.cited) == (0, 1) and review.combined_answer([ok]) is None


def test_coverage_never_moves_the_engine_score():
    answers = [scoring_review.AnswerInput("a", "met", 2), scoring_review.AnswerInput("b", "unknown", 2)]
    plain = scoring_review.compute_score(2, answers)
    covered = scoring_review.compute_score(2, answers, coverage=scoring_review.Coverage(1, 4, ("b",), ("b",)))
    assert (plain.score, plain.lines) == (covered.score, covered.lines) and covered.coverage.cited == 4


# --------------------------------------------------------------------------- scans: an error is "could not check"


def _scan(tenant, integration, status, detail=""):
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    with acting(tenant):
        run = ScanRun.objects.create(integration=integration, status="done")
        target = ScanTarget.objects.create(run=run, target="https://api.acme.example/")
        Finding.objects.create(run=run, scan_target=target, check_id="tls.protocol.legacy", status=status,
                               severity="high", title="Legacy TLS protocols accepted", detail=detail)
    return run


def _tls_requirement(tenant, assessment):
    from vendorvet.engine.checklist import load_checklist

    with acting(tenant):
        return next(r.id for r in load_checklist().requirements_for_check("tls.protocol.legacy")
                    if assessment.answers.filter(requirement_id=r.id).exists())


def test_a_scan_check_in_error_could_not_check_and_leaves_the_score_alone(login, assessor_a, started, crm, tenant_a):
    requirement = _tls_requirement(tenant_a, started)
    client = login(assessor_a)
    url = reverse("assessments:detail", args=[started.pk])

    def score(html):  # points lost (the score itself is 0 with every answer still unknown)
        return float(re.search(r'data-points-lost="([\d.]+)"', html).group(1))

    before = score(client.get(url).content.decode())
    _scan(tenant_a, crm, "error", detail="DNS gave no answer for api.acme.example")
    html = client.get(url).content.decode()
    block = card(html, requirement)
    state_and_text = provider_block(block, "scans")
    assert state_and_text.startswith("could_not_check") and "could not check" in state_and_text
    assert "DNS gave no answer for api.acme.example" in state_and_text
    assert "Suggested answer" not in block
    assert score(html) == before  # could not check never moves the score
    coverage = re.search(r'id="score-coverage" data-ran="(\d+)" data-cited="(\d+)"', html)
    ran, cited = int(coverage.group(1)), int(coverage.group(2))
    assert cited > ran and "Could not check:" in html
    from django.utils.html import escape

    from vendorvet.engine.scoring_review import requirement_name

    listed = html.split('id="score-coverage"', 1)[1].split("</div>", 1)[0]
    assert escape(requirement_name(requirement)) in listed and requirement not in listed  # by its text, not its id

    # the same check failing does move the score (the test can fail) and is counted as covered
    _scan(tenant_a, crm, "fail")
    html = client.get(url).content.decode()
    assert score(html) > before and "Suggested answer: Not met" in card(html, requirement)
    coverage = re.search(r'id="score-coverage" data-ran="(\d+)" data-cited="(\d+)"', html)
    assert int(coverage.group(1)) > ran


def test_the_api_score_reports_its_coverage(tenant_a, assessor_a, started, crm):
    from vendorvet.web.accounts.models import APIToken

    requirement = _tls_requirement(tenant_a, started)
    _scan(tenant_a, crm, "error", detail="timeout")
    with acting(tenant_a):
        _token, key = APIToken.issue(assessor_a, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get(f"/api/assessments/{started.pk}/").json()
    coverage = body["score"]["coverage"]
    assert coverage["checks_cited"] > coverage["checks_ran"] and requirement in coverage["not_covered"]
    assert "cert.recognised" in coverage["unknown"]


# --------------------------------------------------------------------------- legal: the DPO's facts answer the review


@pytest.fixture
def us_crm(tenant_a, make_vendor, make_integration):
    vendor = make_vendor(tenant_a, "Cloudy Inc.", country="US")
    return make_integration(tenant_a, "Cloudy CRM", vendor=vendor, data_categories=["personal"],
                            data_subjects=["customers"], purpose="Customer relationship management",
                            processing_countries=["US"])


@pytest.fixture
def legal_review(tenant_a, assessor_a, us_crm):
    from vendorvet.web.assessments import services

    with acting(tenant_a, assessor_a, role="assessor"):
        return services.start_assessment(us_crm, optional=[p for p in LEGAL_POINTS])


def fill_legal_facts(client, integration, *, missing=()):
    """What the DPO does: AVV checklist, signed AVV upload, transfer check, TIA, register entry."""
    from vendorvet.web.legal.dpa import DPA_POINTS

    vendor = integration.vendor
    for point in DPA_POINTS:
        state = "missing" if point.key in missing else "met"
        response = client.post(reverse("legal:dpa_item", args=[vendor.pk]),
                               {"key": point.key, "state": state, "clause": "" if state == "missing" else "§ 4",
                                "note": ""})
        assert response.status_code == 302
    response = client.post(reverse("legal:contract_add", args=[vendor.pk]), {
        "type": "dpa", "title": "AVV Cloudy", "signed": "2026-03-01", "audit_rights": "Inspections on 30 days' notice",
        "upload": SimpleUploadedFile("AVV Cloudy.pdf", b"%PDF-1.7 signed")})
    assert response.status_code == 302
    assert client.post(reverse("legal:integration", args=[integration.pk]), {
        "our_role": "controller", "vendor_role": "processor", "declared_countries": ["US"],
        "legal_basis": "Art. 6 Abs. 1 lit. b DSGVO", "erasure_period": "3 years after the contract ends",
        "security_measures": "TOM annex of the AVV"}).status_code == 302
    assert client.post(reverse("legal:assess", args=[integration.pk])).status_code == 302
    assert client.post(reverse("legal:tia_add", args=[integration.pk])).status_code == 302
    from vendorvet.web.legal.models import TransferImpactAssessment

    with acting(integration.tenant):
        tia = TransferImpactAssessment.objects.get(integration=integration)
    assert client.post(reverse("legal:tia", args=[tia.pk]), {
        "title": tia.title, "state": "completed", "step1_transfers": "CRM data to US", "step2_tool": "SCC M2",
        "step3_assessment": "FISA 702", "step4_measures": "Encryption, keys in the EU", "step5_procedural": "Signed",
        "step6_reevaluation": "2027-06-01", "conclusion": "Acceptable"}).status_code == 302
    return tia


def test_the_legal_facts_answer_the_review_with_links(login, admin_a, assessor_a, legal_review, us_crm):
    client = login(assessor_a)
    url = reverse("assessments:detail", args=[legal_review.pk])
    html = client.get(url).content.decode()
    for requirement in ("legal.avv", "legal.transfer.tia", "legal.transfer.basis"):
        assert provider_block(card(html, requirement), "legal").startswith("could_not_check"), requirement
    assert "Suggested answer" not in card(html, "legal.avv")

    tia = fill_legal_facts(login(admin_a), us_crm)
    html = client.get(url).content.decode()
    vendor_url = reverse("legal:vendor", args=[us_crm.vendor_id])
    avv = card(html, "legal.avv")
    assert provider_block(avv, "legal").startswith("checked") and "Suggested answer: Met" in avv
    assert "Signed AVV on file: AVV Cloudy" in avv and f'href="{vendor_url}#dpa"' in avv
    assert "verified by document on" in avv
    duties = card(html, "legal.avv.processor_duties")
    assert "AVV checklist: 9 of 9 points met" in duties and "Suggested answer: Met" in duties
    tia_card = card(html, "legal.transfer.tia")
    assert f'href="{reverse("legal:tia", args=[tia.pk])}"' in tia_card and "Suggested answer: Met" in tia_card
    basis = card(html, "legal.transfer.basis")
    assert "verified by transfer check on" in basis and "Suggested answer: Met" in basis
    assert "standard contractual clauses" in basis
    audit = card(html, "contract.audit_right")
    assert "Inspections on 30 days&#x27; notice" in audit and "Suggested answer: Met" in audit
    ropa = card(html, "legal.ropa")
    assert f'href="{reverse("legal:ropa")}"' in ropa and "Suggested answer: Met" in ropa

    # in German: the same evidence in the reader's language, with German citation style
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Unterschriebener AVV liegt vor: AVV Cloudy" in card(german, "legal.avv")
    assert "geprüft durch Dokument am" in card(german, "legal.avv")


def test_a_recorded_gap_in_the_avv_suggests_not_met_with_the_article(login, admin_a, assessor_a, legal_review, us_crm):
    fill_legal_facts(login(admin_a), us_crm, missing=("28_3_h",))
    html = login(assessor_a).get(reverse("assessments:detail", args=[legal_review.pk])).content.decode()
    duties = card(html, "legal.avv.processor_duties")
    assert "Suggested answer: Not met" in duties and "Missing in the AVV: Art. 28(3)(h) GDPR" in duties
    german = login(assessor_a).get(reverse("assessments:detail", args=[legal_review.pk]),
                                   HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Art. 28 Abs. 3 lit. h DSGVO" in card(german, "legal.avv.processor_duties")


def test_changing_a_legal_fact_after_answering_shows_evidence_changed(login, admin_a, assessor_a, legal_review,
                                                                       us_crm, tenant_a):
    fill_legal_facts(login(admin_a), us_crm)
    client = login(assessor_a)
    url = reverse("assessments:detail", args=[legal_review.pk])
    with acting(tenant_a):
        answer = legal_review.answers.get(requirement_id="legal.avv.processor_duties")
    response = client.post(reverse("assessments:answer", args=[answer.pk]),
                           {f"a{answer.pk}-value": "met", f"a{answer.pk}-comment": "AVV reviewed"})
    assert response.status_code == 302
    with acting(tenant_a):
        answer.refresh_from_db()
    assert answer.evidence_fingerprint and answer.evidence_seen[0]["suggested"] == "met"
    assert "Evidence changed since your answer" not in card(client.get(url).content.decode(),
                                                            "legal.avv.processor_duties")
    # the DPO records that the AVV lacks the audit clause after all
    assert login(admin_a).post(reverse("legal:dpa_item", args=[us_crm.vendor_id]),
                               {"key": "28_3_h", "state": "missing", "clause": "", "note": "no inspections"}
                               ).status_code == 302
    block = card(client.get(url).content.decode(), "legal.avv.processor_duties")
    assert "Evidence changed since your answer" in block
    then = block.split("Evidence changed since your answer", 1)[1]
    assert "Suggests: Met" in then and "AVV checklist: 9 of 9 points met" in then  # the old suggestion
    assert "Suggested answer: Not met" in block  # the new one
    # answering again acknowledges the new evidence
    client.post(reverse("assessments:answer", args=[answer.pk]), {f"a{answer.pk}-value": "not_met"})
    assert "Evidence changed since your answer" not in card(client.get(url).content.decode(),
                                                            "legal.avv.processor_duties")


def test_no_avv_needed_when_the_vendor_is_a_controller(login, admin_a, assessor_a, legal_review, us_crm):
    assert login(admin_a).post(reverse("legal:integration", args=[us_crm.pk]), {
        "our_role": "controller", "vendor_role": "controller"}).status_code == 302
    html = login(assessor_a).get(reverse("assessments:detail", args=[legal_review.pk])).content.decode()
    block = provider_block(card(html, "legal.avv"), "legal")
    assert block.startswith("not_applicable") and "no AVV is needed" in block


def test_an_sbom_matched_without_vulnerability_data_is_not_checked(login, assessor_a, tenant_a, crm):
    """'0 known vulnerabilities' is only said when there was data to match against."""
    from vendorvet.web.assessments import services
    from vendorvet.web.supplychain.models import SbomVersion

    with acting(tenant_a, assessor_a, role="assessor"):
        assessment = services.start_assessment(crm, optional=["supply.sbom"])
        sbom = SbomVersion.objects.create(integration=crm, label="2.0", format="cyclonedx", spec_version="1.5",
                                          sha256="0" * 64, component_count=3, osv_snapshot="0 / -")
    url = reverse("assessments:detail", args=[assessment.pk])
    block = card(login(assessor_a).get(url).content.decode(), "supply.sbom")
    state_and_text = provider_block(block, "supplychain")
    assert state_and_text.startswith("could_not_check") and "no vulnerability data (OSV)" in state_and_text
    assert "Suggested answer" not in block and "0 known vulnerabilities" not in block
    # the checked case (vulnerability data imported, Log4Shell found → "not met") is
    # tests/supplychain/test_osv_data.py::test_point10_does_not_pass_an_unchecked_sbom_then_demo_import_finds_log4shell
