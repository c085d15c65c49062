"""Views and API: role checks, tenant isolation, HTMX answers, evidence limits and safe serving."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import acting
from tests.support.downloads import assert_download
from vendorvet.web.assessments.models import Answer, Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def answer_of(assessment, requirement_id="cert.recognised") -> Answer:
    return Answer.all_tenants.get(assessment=assessment, requirement_id=requirement_id)


def api_client(tenant, user):
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant):
        _token, key = APIToken.issue(user, "test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_htmx_answer_returns_the_block_and_the_score(login, assessor_a, started):
    answer = answer_of(started)
    client = login(assessor_a)
    response = client.post(reverse("assessments:answer", args=[answer.pk]),
                           {f"a{answer.pk}-value": "met", f"a{answer.pk}-comment": "seen"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="answer-{answer.pk}"' in html and 'hx-swap-oob="true"' in html
    answer.refresh_from_db()
    assert answer.value == "met" and answer.comment == "seen"


def test_auditor_reads_but_cannot_answer_decide_or_upload(login, auditor_a, started):
    answer = answer_of(started)
    client = login(auditor_a)
    assert client.get(started.get_absolute_url()).status_code == 200
    assert b"Save answer" not in client.get(started.get_absolute_url()).content
    assert client.post(reverse("assessments:answer", args=[answer.pk]), {f"a{answer.pk}-value": "met"}).status_code == 403
    assert client.post(reverse("assessments:decision", args=[started.pk]),
                       {"outcome": "approve", "justification": "x"}).status_code == 403
    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    assert client.post(reverse("assessments:evidence_upload", args=[answer.pk]),
                       {f"e{answer.pk}-file": upload}).status_code == 403
    assert client.get(reverse("assessments:start")).status_code == 403
    answer.refresh_from_db()
    assert answer.value == "unknown"


def test_other_tenant_gets_404_everywhere(login, admin_b, started, crm):
    answer = answer_of(started)
    client = login(admin_b)
    for url in [started.get_absolute_url(), reverse("assessments:decision", args=[started.pk]),
                reverse("assessments:integration_panel", args=[crm.pk]),
                reverse("assessments:vendor_certifications", args=[crm.vendor_id])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("assessments:answer", args=[answer.pk]), {f"a{answer.pk}-value": "met"}).status_code == 404
    assert b"Acme CRM" not in client.get(reverse("assessments:list")).content


def test_decision_page_records_a_decision(login, admin_a, started, crm, lenient_policy):
    client = login(admin_a)
    response = client.post(reverse("assessments:decision", args=[started.pk]), {
        "outcome": "approve_with_conditions", "justification": "fine with MFA",
        "cond-TOTAL_FORMS": "3", "cond-INITIAL_FORMS": "0",
        "cond-0-text": "Enforce MFA", "cond-0-owner": "IT", "cond-0-due_date": "2027-01-31"})
    assert response.status_code == 302
    page = client.get(reverse("assessments:decision", args=[started.pk])).content.decode()
    assert "Enforce MFA" in page and 'id="next-review"' in page
    panel = client.get(reverse("assessments:integration_panel", args=[crm.pk])).content.decode()
    assert "Approve with conditions" in panel


def upload(client, answer, name, data, content_type="application/octet-stream"):
    return client.post(reverse("assessments:evidence_upload", args=[answer.pk]),
                       {f"e{answer.pk}-file": SimpleUploadedFile(name, data, content_type=content_type)}, follow=True)


def test_evidence_stored_with_random_name_and_served_as_attachment(login, assessor_a, auditor_a, admin_b, started,
                                                                   media_root):
    answer = answer_of(started)
    client = login(assessor_a)
    response = upload(client, answer, "../../../etc/passwd.pdf", PDF, "application/pdf")
    assert response.status_code == 200
    item = Evidence.all_tenants.get()
    assert item.original_name == "passwd.pdf"
    stored = Path(item.file.path).resolve()
    assert stored.is_relative_to((Path(media_root) / "evidence").resolve())
    assert ".." not in item.file.name and "passwd" not in item.file.name
    assert stored.read_bytes() == PDF
    download = login(auditor_a).get(item.get_absolute_url())
    assert download.status_code == 200
    assert assert_download(download) == item.original_name
    assert b"".join(download.streaming_content) == PDF
    assert login(admin_b).get(item.get_absolute_url()).status_code == 404


def test_evidence_limits(login, assessor_a, started, settings):
    settings.VENDORVET_EVIDENCE_MAX_BYTES = 1024
    answer = answer_of(started)
    client = login(assessor_a)
    too_big = upload(client, answer, "big.pdf", PDF + b"0" * 2000)
    assert b"too large" in too_big.content
    wrong_type = upload(client, answer, "page.html", b"<html><script>alert(1)</script></html>")
    assert b"not accepted" in wrong_type.content
    disguised = upload(client, answer, "report.pdf", b"MZ\x90\x00 not a pdf")
    assert b"does not match" in disguised.content
    svg_as_text = upload(client, answer, "notes.txt", b"<svg onload=alert(1)>")
    assert b"does not match" in svg_as_text.content
    assert Evidence.all_tenants.count() == 0
    assert upload(client, answer, "notes.txt", "Prüfbericht ok\n".encode()).status_code == 200
    assert Evidence.all_tenants.get().content_type == "text/plain"


def test_api_start_answer_decide_and_roles(tenant_a, admin_a, auditor_a, crm, lenient_policy):
    admin = api_client(tenant_a, admin_a)
    auditor = api_client(tenant_a, auditor_a)
    assert auditor.post("/api/assessments/", {"integration": crm.pk}, format="json").status_code == 403
    created = admin.post("/api/assessments/", {"integration": crm.pk, "optional": ["contract.exit_plan"]}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["tier"] == 2 and created.json()["score"]["grade"] in "ABCDEF"
    assert auditor.post(f"/api/assessments/{pk}/answer/", {"requirement_id": "cert.recognised", "value": "met"},
                        format="json").status_code == 403
    answered = admin.post(f"/api/assessments/{pk}/answer/", {"requirement_id": "cert.recognised", "value": "met"},
                          format="json")
    assert answered.status_code == 200
    assert not any(line["key"] == "answer:cert.recognised" for line in answered.json()["score"]["lines"])
    bad = admin.post(f"/api/assessments/{pk}/decide/", {"outcome": "approve_with_conditions", "justification": "x"},
                     format="json")
    assert bad.status_code == 400
    decided = admin.post(f"/api/assessments/{pk}/decide/", {"outcome": "approve", "justification": "ok"}, format="json")
    assert decided.status_code == 200 and decided.json()["decision"]["next_review_date"]
    assert auditor.get(f"/api/assessments/{pk}/").status_code == 200


def test_api_tenant_isolation(tenant_b, admin_b, started):
    other = api_client(tenant_b, admin_b)
    assert other.get(f"/api/assessments/{started.pk}/").status_code == 404
    assert other.get("/api/assessments/").json()["count"] == 0
    assert other.post(f"/api/assessments/{started.pk}/answer/", {"requirement_id": "cert.recognised",
                                                                "value": "met"}, format="json").status_code == 404


def test_api_certifications(tenant_a, admin_a, auditor_a, crm):
    admin = api_client(tenant_a, admin_a)
    response = admin.post("/api/certifications/", {"vendor": crm.vendor_id, "kind": "soc2_type2",
                                                   "period_end": "2020-12-31"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "expired" and response.json()["expires_on"] == "2021-12-31"
    assert api_client(tenant_a, auditor_a).post("/api/certifications/", {"vendor": crm.vendor_id, "kind": "tisax",
                                                                        "valid_until": "2030-01-01"},
                                                format="json").status_code == 403
    assert admin.get("/api/certifications/?state=expired").json()["count"] == 1


def test_web_overrides_need_the_decide_permission(login, assessor_a, started):
    client = login(assessor_a)
    response = client.post(reverse("assessments:tier_override", args=[started.pk]),
                           {"tier_override": "1", "justification": "feeds the ERP"})
    assert response.status_code == 403
    assert client.post(reverse("assessments:decision", args=[started.pk]), {"outcome": "approve"}).status_code == 403
    started.refresh_from_db()
    assert started.tier_override is None and not started.is_decided


def test_web_overrides_are_recorded_and_visible(login, admin_a, started, crm):
    client = login(admin_a)
    response = client.post(reverse("assessments:tier_override", args=[started.pk]), {"tier_override": "1",
                                                                                    "justification": ""})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.tier_override is None  # refused: no justification
    client.post(reverse("assessments:tier_override", args=[started.pk]),
                {"tier_override": "1", "justification": "feeds the ERP"})
    started.refresh_from_db()
    assert started.tier == 1
    client.post(reverse("assessments:score_override", args=[started.pk]),
                {"key": "answer:cert.recognised", "points": "0", "justification": "certificate seen in person"})
    page = client.get(started.get_absolute_url()).content.decode()
    assert "overridden, was −20: certificate seen in person" in page  # 10 points × tier-1 factor 2
    assert "feeds the ERP" in page
    history = client.get(reverse("inventory:integration_history", args=[crm.pk]))
    assert history.status_code == 200 and b"feeds the ERP" in history.content


def test_certification_register_pages(login, admin_a, auditor_a, crm):
    client = login(admin_a)
    url = reverse("assessments:vendor_certifications", args=[crm.vendor_id])
    bad = client.post(url, {"kind": "iso27001", "valid_until": "2020-01-01"})
    assert bad.status_code == 400 and b"certificate number" in bad.content
    assert client.post(url, {"kind": "iso27001", "certificate_number": "DE-1", "issuer": "TÜV",
                             "valid_until": "2020-01-01"}).status_code == 302
    register = client.get(reverse("assessments:certifications")).content.decode()
    assert "cstate-expired" in register and "DE-1" in register
    panel = client.get(reverse("assessments:integration_panel", args=[crm.pk])).content.decode()
    assert "expired on" in panel
    assert login(auditor_a).post(url, {"kind": "tisax", "valid_until": "2030-01-01"}).status_code == 403


def test_vendor_page_panel_lists_the_register(login, auditor_a, crm, tenant_a):
    from vendorvet.web.assessments.models import Certification

    with acting(tenant_a):
        Certification.objects.create(vendor=crm.vendor, kind="iso27001", certificate_number="IS 123456",
                                     issuer="BSI Group", valid_until=dt.date.today() + dt.timedelta(days=30))
    client = login(auditor_a)
    page = client.get(reverse("inventory:vendor_detail", args=[crm.vendor_id])).content.decode()
    panel_url = reverse("assessments:vendor_panel", args=[crm.vendor_id])
    assert f'hx-get="{panel_url}"' in page
    panel = client.get(panel_url)
    assert panel.status_code == 200
    assert "IS 123456" in panel.content.decode()


def test_deleting_an_assessed_integration_is_refused_with_a_message(login, admin_a, started, crm, tenant_a):
    from vendorvet.web.inventory.models import Integration

    client = login(admin_a)
    response = client.post(reverse("inventory:integration_delete", args=[crm.pk]), follow=True)
    assert response.status_code == 200
    assert "Retired" in response.content.decode()
    with acting(tenant_a):
        assert Integration.objects.filter(pk=crm.pk).exists()


def test_automated_checks_suggest_an_answer_that_a_person_applies(login, assessor_a, started, crm, tenant_a):
    from vendorvet.engine.checklist import load_checklist
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    with acting(tenant_a):
        requirement = next(r for r in load_checklist().requirements_for_check("tls.protocol.legacy")
                           if started.answers.filter(requirement_id=r.id).exists())
        answer = started.answers.get(requirement_id=requirement.id)
        run = ScanRun.objects.create(integration=crm, status="done")
        target = ScanTarget.objects.create(run=run, target="https://api.acme.example/")
        Finding.objects.create(run=run, scan_target=target, check_id="tls.protocol.legacy", status="fail",
                               severity="high", title="Legacy TLS protocols accepted")
    client = login(assessor_a)
    page = client.get(reverse("assessments:detail", args=[started.pk])).content.decode()
    assert "Legacy TLS protocols accepted" in page and "Suggested answer: Not met" in page
    response = client.post(reverse("assessments:answer", args=[answer.pk]),
                           {f"a{answer.pk}-value": "not_met", f"a{answer.pk}-comment": f"From the automated checks of scan #{run.pk}."})
    assert response.status_code in (200, 302)
    with acting(tenant_a):
        answer.refresh_from_db()
    assert answer.value == "not_met" and answer.answered_by_id == assessor_a.pk  # a person applied it
