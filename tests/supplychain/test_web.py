"""Supply-chain pages: nav, panel, SBOM pages with diff, upload with role checks, tenant isolation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import acting
from tests.web.conftest import assert_csp_clean
from vendorvet.web.supplychain.models import SbomVersion

from .conftest import sbom_bytes

pytestmark = pytest.mark.django_db


def test_nav_overview_and_panel(auditor_a, sboms_a, login):
    client = login(auditor_a)
    html = client.get(reverse("inventory:integration_list")).content.decode()
    assert f'href="{reverse("supplychain:overview")}"' in html
    html = client.get(reverse("supplychain:overview")).content.decode()
    assert "Acme CRM" in html and ">1.1<" in html
    assert_csp_clean(html)
    detail = client.get(reverse("inventory:integration_detail", args=[sboms_a["integration"].pk])).content.decode()
    assert reverse("supplychain:integration_panel", args=[sboms_a["integration"].pk]) in detail
    panel = client.get(reverse("supplychain:integration_panel", args=[sboms_a["integration"].pk]))
    text = panel.content.decode()
    assert panel.status_code == 200 and text.lstrip().startswith("<section")
    assert "Version 1.1" in text and "2 known vulnerabilities" in text
    assert_csp_clean(text)


def test_sbom_page_shows_findings_and_diff(auditor_a, sboms_a, login):
    client = login(auditor_a)
    html = client.get(reverse("supplychain:sbom", args=[sboms_a["new"].pk])).content.decode()
    assert "SYNTH-2026-0002" in html and "GHSA-35jh-r3h4-6jhm" in html and "CVE-2021-23337" in html
    assert "Changes since version 1.0" in html
    assert "pkg:npm/synth-last@1.4.2" in html and "3.1.2 → 3.1.4" in html
    assert "GHSA-jfh8-c2jp-5v3q" in html  # fixed since 1.0
    assert_csp_clean(html)
    old = client.get(reverse("supplychain:sbom", args=[sboms_a["old"].pk])).content.decode()
    assert "Changes since" not in old and "4.17.21" in old and "log4j-core" in old


def test_upload_as_assessor_and_forbidden_for_auditor(tenant_a, assessor_a, auditor_a, crm_a, osv_db, login):
    url = reverse("supplychain:upload", args=[crm_a.pk])
    auditor = login(auditor_a)
    page = auditor.get(reverse("supplychain:integration", args=[crm_a.pk])).content.decode()
    assert url not in page
    response = auditor.post(url, {"label": "9", "file": SimpleUploadedFile("a.spdx", sbom_bytes("app.spdx"))})
    assert response.status_code == 403
    client = login(assessor_a)
    response = client.post(url, {"label": "2.0", "file": SimpleUploadedFile("a.spdx", sbom_bytes("app.spdx"))})
    assert response.status_code == 302
    with acting(tenant_a):
        sbom = SbomVersion.objects.get()
        assert response["Location"] == reverse("supplychain:sbom", args=[sbom.pk])
        assert sbom.findings.get().advisory_id == "GHSA-4374-p667-p6c8"
    bad = client.post(url, {"label": "2.1", "file": SimpleUploadedFile("x.xml", b"<x><y></x>")})
    assert bad.status_code == 400 and "not well-formed XML" in bad.content.decode()
    with acting(tenant_a):
        assert SbomVersion.objects.count() == 1


def test_other_tenant_sees_nothing(admin_b, sboms_a, login):
    client = login(admin_b)
    for name, pk in [("supplychain:sbom", sboms_a["new"].pk), ("supplychain:integration_panel",
                                                               sboms_a["integration"].pk),
                     ("supplychain:integration", sboms_a["integration"].pk)]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert "Acme CRM" not in client.get(reverse("supplychain:overview")).content.decode()
    response = client.post(reverse("supplychain:upload", args=[sboms_a["integration"].pk]),
                           {"label": "x", "file": SimpleUploadedFile("a.spdx", sbom_bytes("app.spdx"))})
    assert response.status_code == 404


def test_german_translation(auditor_a, sboms_a, login):
    client = login(auditor_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("supplychain:sbom", args=[sboms_a["new"].pk])).content.decode()
    assert "Bekannte Schwachstellen" in html
