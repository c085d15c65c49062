"""Download buttons, views, permissions, tenant isolation, the logo upload, the API routes and the CLI."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import acting
from tests.reports.conftest import pdf_text, squeezed
from tests.support.downloads import assert_download

pytestmark = pytest.mark.django_db


def _png(size=(120, 40), color=(20, 60, 120)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def test_buttons_on_the_integration_page_dashboard_and_legal_pages(reviewed, tenant_a, admin_a, login):
    from vendorvet.web.legal.models import TransferImpactAssessment

    integration, _assessment = reviewed
    client = login(admin_a)
    detail = client.get(reverse("inventory:integration_detail", args=[integration.pk])).content.decode()
    panel_url = reverse("reports:integration_panel", args=[integration.pk])
    assert panel_url in detail
    panel = client.get(panel_url).content.decode()
    assert reverse("reports:audit_pack", args=[integration.pk]) + "?lang=de" in panel and "bundle=zip" in panel
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("reports:management") + "?lang=en" in dashboard
    assert reverse("reports:ropa_pdf") in client.get(reverse("legal:ropa")).content.decode()
    with acting(tenant_a):
        tia = TransferImpactAssessment.objects.get()
    assert reverse("reports:tia_pdf", args=[tia.pk]) in client.get(reverse("legal:tia", args=[tia.pk])).content.decode()


def test_downloads_as_a_read_only_auditor(reviewed, tenant_a, auditor_a, login):
    integration, _assessment = reviewed
    client = login(auditor_a)
    response = client.get(reverse("reports:audit_pack", args=[integration.pk]) + "?lang=en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert assert_download(response).startswith("audit-pack-cloud-crm-connector-en-")
    pages, text = pdf_text(response.content)
    assert "Audit pack" in text and response["X-Content-SHA256"] in squeezed(text)
    response = client.get(reverse("reports:audit_pack", args=[integration.pk]) + "?bundle=zip")
    assert response.status_code == 200 and assert_download(response, "application/zip").endswith(".zip")
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    response = client.get(reverse("reports:management") + "?lang=de&start=2026-01-01&end=2026-12-31")
    assert response.status_code == 200 and b"%PDF-" == response.content[:5]
    assert assert_download(response, "application/pdf").startswith("management-report-")
    assert client.get(reverse("reports:settings")).status_code == 403  # settings: administrators only


def test_another_tenant_gets_404_and_anonymous_the_login(reviewed, admin_b, login):
    integration, _assessment = reviewed
    client = login(admin_b)
    assert client.get(reverse("reports:audit_pack", args=[integration.pk])).status_code == 404
    assert client.get(reverse("reports:integration_panel", args=[integration.pk])).status_code == 404
    from django.test import Client

    response = Client().get(reverse("reports:management"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_logo_upload_is_validated_and_printed(tenant_a, admin_a, login, make_integration):
    from vendorvet.web.reports import documents
    from vendorvet.web.reports.models import ReportSettings

    integration = make_integration(tenant_a, "Logo Check")
    client = login(admin_a)
    url = reverse("reports:settings")
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    response = client.post(url, {"schedule": "off", "language": "de", "recipients": "", "upload": fake})
    assert response.status_code == 400
    with acting(tenant_a):
        assert not ReportSettings.objects.exists()
    bad_mail = client.post(url, {"schedule": "monthly", "language": "de", "recipients": "not-an-address"})
    assert bad_mail.status_code == 400 and "not-an-address" in bad_mail.content.decode()
    good = SimpleUploadedFile("firmenlogo.png", _png(), content_type="image/png")
    response = client.post(url, {"schedule": "monthly", "language": "en", "recipients": "gf@example.test",
                                 "upload": good})
    assert response.status_code == 302
    with acting(tenant_a, admin_a, role="admin"):
        stored = ReportSettings.objects.get()
        assert stored.logo_name == "firmenlogo.png" and bytes(stored.logo).startswith(b"\x89PNG")
        printed, _data, _rows = documents.audit_pack_pdf(integration, "en")
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(printed.pdf)).pages[0].images) == 1
    page = client.get(url).content.decode()
    assert "data:image/png;base64," in page and "firmenlogo.png" in page


def test_api_routes(reviewed, tenant_a, admin_a, auditor_a):
    from rest_framework.test import APIClient

    from vendorvet.web.accounts.models import APIToken

    integration, _assessment = reviewed
    with acting(tenant_a, auditor_a, role="auditor"):
        _token, key = APIToken.issue(auditor_a, "reports")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(f"/api/reports/audit-packs/{integration.pk}/?lang=de", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Prüfpaket" in pdf_text(response.content)[1]
    assert api.get(f"/api/reports/audit-packs/{integration.pk}/?lang=fr").status_code == 400
    assert api.get("/api/reports/audit-packs/987654321/").status_code == 404
    listed = api.get("/api/reports/audit-packs/").json()["results"]
    assert [row["id"] for row in listed] == [integration.pk]
    response = api.get(f"/api/reports/audit-packs/{integration.pk}/?bundle=zip")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert api.get("/api/reports/management/?lang=en").content[:5] == b"%PDF-"
    assert api.get("/api/reports/management/?start=2026-13-01").status_code == 400
    assert api.get("/api/reports/ropa/?lang=de&view=processor").content[:5] == b"%PDF-"
    assert "/api/reports/audit-packs/{id}/" in api.get("/api/schema/?format=json").content.decode()


def test_cli(reviewed, tenant_a, admin_a, tmp_path, capsys):
    from vendorvet.cli.main import main

    integration, _assessment = reviewed
    target = tmp_path / "pack.zip"
    code = main(["report", "audit-pack", str(integration.pk), "--zip", "-o", str(target), "--language", "en",
                 "--tenant", tenant_a.slug, "--user", admin_a.username])
    assert code == 0 and zipfile.ZipFile(target).testzip() is None
    assert "SHA-256 of the content data" in capsys.readouterr().err
    report = tmp_path / "management.pdf"
    assert main(["report", "management", "-o", str(report), "--language", "de", "--tenant", tenant_a.slug,
                 "--user", admin_a.username]) == 0
    assert "Managementbericht" in pdf_text(report.read_bytes())[1]
    register = tmp_path / "ropa.pdf"
    assert main(["report", "ropa-pdf", "-o", str(register), "--tenant", tenant_a.slug,
                 "--user", admin_a.username]) == 0 and register.read_bytes()[:5] == b"%PDF-"
    missing = tmp_path / "none.pdf"
    assert main(["report", "audit-pack", "987654321", "-o", str(missing), "--tenant", tenant_a.slug,
                 "--user", admin_a.username]) == 1
    assert not missing.exists() and not (tmp_path / "none.pdf.part").exists()
