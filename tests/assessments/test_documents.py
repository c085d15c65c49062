"""Uploaded certificates and reports: suggestions with page and text, confirmation into the register and the
review, no text layer / malformed files store nothing, tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.assessments.test_web_api import api_client
from tests.conftest import acting
from tests.support import documents as builders
from tests.support.downloads import assert_download
from vendorvet.web.assessments.models import Certification, CertificationDocument

pytestmark = pytest.mark.django_db


def pdf_upload(tmp_path, builder, name=None) -> SimpleUploadedFile:
    path = tmp_path / (name or f"{builder.__name__}.pdf")
    builder(path)
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/pdf")


def stored_files(media_root) -> list:
    root = media_root / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def vendor(crm):
    return crm.vendor


def upload(client, vendor, file):
    return client.post(reverse("assessments:certificate_document_upload", args=[vendor.pk]), {"file": file})


def test_iso_certificate_suggestions_confirm_register_and_review(login, assessor_a, tenant_a, vendor, crm,
                                                                 started, tmp_path):
    client = login(assessor_a)
    response = upload(client, vendor, pdf_upload(tmp_path, builders.iso_centred_en, "nordlicht-iso.pdf"))
    assert response.status_code == 302
    doc = CertificationDocument.all_tenants.get()
    assert doc.kind == "iso27001_certificate" and doc.state == "suggested"
    assert Certification.all_tenants.count() == 0  # nothing stored as fact before confirmation
    html = client.get(response["Location"]).content.decode()
    assert "12 310 54821 TMS" in html and "page 1" in html and "Certificate No.: 12 310 54821 TMS" in html
    assert "nothing is stored in the register until you confirm" in html

    # the reviewer corrects the holder and takes over all fields read
    response = client.post(doc.get_absolute_url(), {
        "take_all": "1", "value_holder": "Nordlicht Cloud Services GmbH (Hamburg)",
        "value_certificate_number": "12 310 54821 TMS", "value_standard": "ISO/IEC 27001:2022",
        "value_certification_body": "CertEuropa Zertifizierung GmbH", "value_issue_date": "2025-03-14",
        "value_expiry_date": "2028-03-13", "value_scope": "Nordlicht customer data platform"})
    assert response.status_code == 302, response.content.decode()[:2000]
    cert = Certification.all_tenants.get()
    assert (cert.kind, cert.standard, cert.certificate_number) == ("iso27001", "ISO/IEC 27001:2022", "12 310 54821 TMS")
    assert cert.holder == "Nordlicht Cloud Services GmbH (Hamburg)" and cert.issuer == "CertEuropa Zertifizierung GmbH"
    assert (cert.valid_from, cert.valid_until) == (dt.date(2025, 3, 14), dt.date(2028, 3, 13))
    doc.refresh_from_db()
    assert doc.state == "confirmed" and doc.certification_id == cert.pk
    assert doc.confirmed["fields"]["holder"]["corrected"] is True
    assert doc.confirmed["fields"]["certificate_number"] == {
        "value": "12 310 54821 TMS", "page": 1, "text": doc.reading["fields"]["certificate_number"]["text"],
        "corrected": False}

    from vendorvet.web.core import review

    with acting(tenant_a, assessor_a, role="assessor"):
        suggestions = review.collect(crm, ["cert.iso27001", "cert.recognised"])
    iso = [s for s in suggestions["cert.iso27001"] if s.provider == "certifications"][0]
    today = dt.date.today().isoformat()
    assert iso.suggested == "met"
    assert f"from document nordlicht-iso.pdf, page 1, confirmed by arne.assessor on {today}" in iso.lines[0]
    page = client.get(started.get_absolute_url()).content.decode()
    assert "from document nordlicht-iso.pdf" in page
    # a confirmed document cannot be confirmed twice
    again = client.post(doc.get_absolute_url(), {"take_all": "1"})
    assert again.status_code == 400 and Certification.all_tenants.count() == 1


def test_soc2_report_warnings_subservice_and_cuecs_ticked(login, assessor_a, vendor, tmp_path):
    client = login(assessor_a)
    response = upload(client, vendor, pdf_upload(tmp_path, builders.soc2_type2_en))
    doc = CertificationDocument.all_tenants.get()
    html = client.get(response["Location"]).content.decode()
    assert "Exceptions noted in the tests of controls: 2." in html
    assert "Amazon Web Services, Inc." in html and "Twilio Inc." in html
    assert doc.reading["cuecs"] == ["User entities are responsible for managing their own user accounts and API "
                                    "credentials."]
    response = client.post(doc.get_absolute_url(), {
        "take_period_end": "1", "value_period_end": "2026-03-31", "take_report_type": "1",
        "value_report_type": "Type 2", "subservice": ["Twilio Inc."], "cuec": doc.reading["cuecs"]})
    assert response.status_code == 302
    cert = Certification.all_tenants.get()
    assert (cert.kind, cert.standard, cert.period_end, cert.holder) == ("soc2_type2", "SOC 2 Type 2",
                                                                       dt.date(2026, 3, 31), "")
    doc.refresh_from_db()
    assert doc.confirmed["subservice_organizations"] == ["Twilio Inc."]
    assert len(doc.confirmed["cuecs"]) == 1 and set(doc.confirmed["fields"]) == {"period_end", "report_type"}


def test_old_soc2_and_2013_certificates_warn(tmp_path):
    from vendorvet.engine.documents import read_document
    from vendorvet.web.assessments import documents

    builders.soc2_type2_en(tmp_path / "s.pdf")
    builders.iso_table_de(tmp_path / "i.pdf")
    late = documents.warnings(read_document(str(tmp_path / "s.pdf")), today=dt.date(2027, 6, 1))
    assert any("more than 12 months ago" in w for w in late)
    iso = documents.warnings(read_document(str(tmp_path / "i.pdf")))
    assert any("31 October 2025" in w for w in iso)


def test_scanned_pdf_says_no_text_layer_and_stores_nothing(login, assessor_a, vendor, tmp_path, media_root):
    client = login(assessor_a)
    response = upload(client, vendor, pdf_upload(tmp_path, builders.image_only))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "no text layer" in page
    assert CertificationDocument.all_tenants.count() == 0 and stored_files(media_root) == []


@pytest.mark.parametrize("name,content", [
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"),
    ("bomb.pdf", b"%PDF-1.4\n" + b"\x00" * 5000),
    ("evil.docx", b"PK\x03\x04not really a zip"),
    ("page.pdf", b"<html><script>alert(1)</script></html>"),
])
def test_malformed_or_hostile_file_clear_error_nothing_stored(login, assessor_a, vendor, media_root, name, content):
    client = login(assessor_a)
    response = upload(client, vendor, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "could not be read" in page or "content does not match its type" in page
    assert CertificationDocument.all_tenants.count() == 0 and stored_files(media_root) == []


def test_auditor_can_view_but_not_upload_or_confirm(login, assessor_a, auditor_a, vendor, tmp_path):
    upload(login(assessor_a), vendor, pdf_upload(tmp_path, builders.iso_centred_en))
    doc = CertificationDocument.all_tenants.get()
    client = login(auditor_a)
    assert client.get(doc.get_absolute_url()).status_code == 200
    assert upload(client, vendor, pdf_upload(tmp_path, builders.iso_centred_en)).status_code == 403
    assert client.post(doc.get_absolute_url(), {"take_all": "1"}).status_code == 403
    assert Certification.all_tenants.count() == 0


def test_api_upload_suggestions_and_confirm(tenant_a, assessor_a, vendor, tmp_path):
    client = api_client(tenant_a, assessor_a)
    response = client.post("/api/assessments/certificate-documents/",
                           {"vendor": vendor.pk, "file": pdf_upload(tmp_path, builders.iso_centred_en)},
                           format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "iso27001_certificate" and body["state"] == "suggested"
    number = [s for s in body["suggestions"] if s["field"] == "certificate_number"][0]
    assert number["value"] == "12 310 54821 TMS" and number["page"] == 1 and "12 310 54821" in number["text"]
    got = client.get(f"/api/assessments/certificate-documents/{body['id']}/").json()
    assert got["suggestions"] == body["suggestions"]
    confirm = client.post(f"/api/assessments/certificate-documents/{body['id']}/confirm/",
                          {"fields": {"certificate_number": "12 310 54821 TMS", "expiry_date": "2028-03-13"}},
                          format="json")
    assert confirm.status_code == 200, confirm.content
    cert = Certification.all_tenants.get()
    assert confirm.json()["certification"] == cert.pk and cert.valid_until == dt.date(2028, 3, 13)


def test_api_scanned_pdf_is_a_400_with_reason(tenant_a, assessor_a, vendor, tmp_path):
    client = api_client(tenant_a, assessor_a)
    response = client.post("/api/assessments/certificate-documents/",
                           {"vendor": vendor.pk, "file": pdf_upload(tmp_path, builders.image_only)},
                           format="multipart")
    assert response.status_code == 400 and "no text layer" in response.content.decode()
    assert CertificationDocument.all_tenants.count() == 0


def test_other_tenant_cannot_see_or_confirm(login, assessor_a, admin_b, vendor, tmp_path, tenant_b):
    upload(login(assessor_a), vendor, pdf_upload(tmp_path, builders.iso_centred_en))
    doc = CertificationDocument.all_tenants.get()
    client = login(admin_b)
    assert client.get(doc.get_absolute_url()).status_code == 404
    assert client.post(doc.get_absolute_url(), {"take_all": "1"}).status_code == 404
    api = api_client(tenant_b, admin_b)
    assert api.get(f"/api/assessments/certificate-documents/{doc.pk}/").status_code == 404
    assert api.post(f"/api/assessments/certificate-documents/{doc.pk}/confirm/", {"fields": {}},
                    format="json").status_code == 404
    assert Certification.all_tenants.count() == 0


def test_bridge_letter_extends_the_soc2_entry_and_c5_needs_a_date_entered(login, assessor_a, vendor, tmp_path):
    client = login(assessor_a)
    upload(client, vendor, pdf_upload(tmp_path, builders.bridge_en))
    bridge = CertificationDocument.all_tenants.get()
    refused = client.post(bridge.get_absolute_url(), {"take_all": "1"})
    assert refused.status_code == 400 and "add the report first" in refused.content.decode()
    upload(client, vendor, pdf_upload(tmp_path, builders.soc2_type2_en))
    soc2 = CertificationDocument.all_tenants.get(kind="soc2_report")
    assert client.post(soc2.get_absolute_url(), {"take_all": "1"}).status_code == 302
    end = bridge.reading["fields"]["period_end"]["value"]
    assert client.post(bridge.get_absolute_url(), {"take_all": "1"}).status_code == 302
    cert = Certification.all_tenants.get()
    assert cert.bridge_letter_until == dt.date.fromisoformat(end) and cert.period_end == dt.date(2026, 3, 31)

    upload(client, vendor, pdf_upload(tmp_path, builders.c5_type2_de))
    c5 = CertificationDocument.all_tenants.get(kind="c5_attestation")
    html = client.get(c5.get_absolute_url()).content.decode()
    assert "not in the document" in html  # the expiry date an attestation does not state
    missing = client.post(c5.get_absolute_url(), {"take_all": "1"})
    assert missing.status_code == 400 and Certification.all_tenants.filter(kind="bsi_c5").count() == 0
    assert client.post(c5.get_absolute_url(), {"take_all": "1", "value_valid_until": "2027-12-31"}).status_code == 302
    entry = Certification.all_tenants.get(kind="bsi_c5")
    assert entry.valid_until == dt.date(2027, 12, 31) and entry.standard.startswith("BSI C5 ")
    c5.refresh_from_db()
    assert c5.confirmed["fields"]["valid_until"]["page"] is None  # entered, not read


def test_german_page_and_docx_certificate(login, assessor_a, vendor, tmp_path):
    client = login(assessor_a)
    path = tmp_path / "zertifikat.docx"
    builders.iso_docx_de(path)
    response = upload(client, vendor, SimpleUploadedFile(path.name, path.read_bytes()))
    assert response.status_code == 302 and CertificationDocument.all_tenants.get().kind == "iso27001_certificate"
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Alle gelesenen Felder übernehmen" in html and "Zertifikatsnummer" in html
    assert "Seite 1" in html


def test_stored_file_downloads_only_as_attachment(login, assessor_a, vendor, tmp_path):
    client = login(assessor_a)
    upload(client, vendor, pdf_upload(tmp_path, builders.iso_centred_en, "cert.pdf"))
    doc = CertificationDocument.all_tenants.get()
    response = client.get(reverse("assessments:certificate_document_file", args=[doc.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert assert_download(response) == "cert.pdf"


def test_existing_evidence_file_read_into_suggestions(login, assessor_a, started, vendor, tmp_path, media_root):
    from tests.assessments.test_web_api import answer_of

    answer = answer_of(started)
    client = login(assessor_a)
    file = pdf_upload(tmp_path, builders.iso_centred_en, "from-vendor.pdf")
    client.post(reverse("assessments:evidence_upload", args=[answer.pk]), {f"e{answer.pk}-file": file})
    page = client.get(started.get_absolute_url()).content.decode()
    assert "Read into the certification register" in page
    from vendorvet.web.assessments.models import Evidence

    item = Evidence.all_tenants.get(answer=answer)
    response = client.post(reverse("assessments:evidence_read", args=[item.pk]))
    doc = CertificationDocument.all_tenants.get()
    assert response["Location"] == doc.get_absolute_url()
    assert doc.original_name == "from-vendor.pdf" and doc.vendor == vendor and doc.sha256 == item.sha256
    assert len(stored_files(media_root)) == 2  # the evidence file is kept; the document has its own copy
    assert Certification.all_tenants.count() == 0
