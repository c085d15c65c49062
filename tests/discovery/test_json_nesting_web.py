"""A discovery export or an SBOM nested 100,000 deep: a 400 with the reason on the web, exit 1 on the CLI."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vendorvet.web.core.context import use_tenant
from vendorvet.web.discovery.models import DiscoveredApp, ImportRun

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_EXPORT = ('{"items": [{"events": ' + DEEP + "}]}").encode()


def test_web_upload_is_a_400_with_the_reason(tenant_a, assessor_a, login):
    client = login(assessor_a)
    upload = SimpleUploadedFile("tokens.json", DEEP_EXPORT)
    response = client.post("/discovery/import/", {"source": "google_tokens", "files": [upload]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "too deeply nested" in page
    with use_tenant(tenant_a):
        assert not ImportRun.objects.exists() and not DiscoveredApp.objects.exists()


def test_cli_exits_1_with_the_reason(tenant_a, assessor_a, capsys, tmp_path):
    from vendorvet.cli.main import main

    path = tmp_path / "tokens.json"
    path.write_bytes(DEEP_EXPORT)
    assert main(["discover", "google-tokens", str(path), "--tenant", "nordlicht", "--user", "arne.assessor"]) == 1
    assert "too deeply nested" in capsys.readouterr().err


def test_sbom_upload_is_a_400_with_the_reason(tenant_a, admin_a, login, make_integration):
    integration = make_integration(tenant_a, "Deep CRM")
    client = login(admin_a)
    body = ('{"bomFormat": "CycloneDX", "x": ' + DEEP + "}").encode()
    response = client.post(reverse("supplychain:upload", args=[integration.pk]),
                           {"label": "1", "file": SimpleUploadedFile("bom.cdx.json", body)})
    assert response.status_code == 400 and "too deeply nested" in response.content.decode()
