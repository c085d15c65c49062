"""Web pages (upload, list, app, import report, integration panel) and the REST API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.conftest import client_with, issue
from tests.discovery.conftest import ENTRA, GOOGLE_TOKENS
from tests.web.conftest import assert_csp_clean
from vendorvet.web.core.context import use_tenant
from vendorvet.web.discovery.models import DiscoveredApp, ImportRun

pytestmark = pytest.mark.django_db


def _files(paths):
    return [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]


def test_upload_list_detail_report_and_panel(tenant_a, assessor_a, login):
    client = login(assessor_a)
    page = client.get("/discovery/import/")
    assert page.status_code == 200 and 'name="files"' in page.content.decode()
    response = client.post("/discovery/import/", {"source": "entra", "files": _files(ENTRA)})
    assert response.status_code == 302
    with use_tenant(tenant_a):
        run = ImportRun.objects.get()
        app = DiscoveredApp.objects.get(name="MailSync Helper")
    assert response["Location"] == f"/discovery/imports/{run.pk}/"
    report = client.get(response["Location"]).content.decode()
    assert "MailSync Helper" in report and "entra_oauth2_permission_grants.json" in report
    listing = client.get("/discovery/").content.decode()
    assert_csp_clean(listing)
    assert "New since the last import" in listing and "HR-Sync (Personio)" in listing
    assert listing.index("HR-Sync (Personio)") < listing.index("Zoom")  # high risk first
    assert 'href="/discovery/"' in listing  # the nav entry
    detail = client.get(f"/discovery/apps/{app.pk}/").content.decode()
    assert_csp_clean(detail)
    assert "Mail.ReadWrite" in detail and "http://mailsync-helper.example/oauth/callback" in detail
    assert "unverified publisher" in detail
    # a proposal until accepted (issue 13): the person names it and confirms the suggested data categories
    accepted = client.post(f"/discovery/apps/{app.pk}/accept/", {
        "name": "MailSync Helper", "vendor": "MailSync Ltd", "data_categories": ["personal"]})
    assert accepted.status_code == 302
    app.refresh_from_db()
    panel = client.get(f"/discovery/integrations/{app.integration_id}/panel/").content.decode()
    assert panel.strip().startswith('<section class="card"') and "Mail.Send" in panel
    integration_page = client.get(reverse("inventory:integration_detail", args=[app.integration_id])).content.decode()
    assert f"/discovery/integrations/{app.integration_id}/panel/" in integration_page
    # least privilege: the person records what is needed; risk reasons update
    r = client.post(f"/discovery/apps/{app.pk}/", {"required_scopes": "openid\nMail.Read"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert "least_privilege_gap" in app.flags and "Mail.Send" in app.excess_scopes


def test_german_pages(tenant_a, assessor_a, login, importing):
    importing(tenant_a, "google_tokens", GOOGLE_TOKENS)
    client = login(assessor_a, HTTP_ACCEPT_LANGUAGE="de")
    client.cookies.load({"django_language": "de"})
    text = client.get("/discovery/").content.decode()
    assert "Entdeckte Apps" in text and "Hohes Risiko" in text
    app_id = text.split('href="/discovery/apps/')[1].split("/")[0]
    detail = client.get(f"/discovery/apps/{app_id}/").content.decode()
    assert "Eingeschränkt" in detail or "Vollzugriff" in detail or "Liest" in detail


def test_bad_upload_is_rejected_and_stores_nothing(tenant_a, assessor_a, login, tmp_path):
    client = login(assessor_a)
    broken = SimpleUploadedFile("tokens.json", b'{"items": [{"events": [{"name": "authorize"')
    response = client.post("/discovery/import/", {"source": "google_tokens", "files": [broken]})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode() and "tokens.json" in response.content.decode()
    with use_tenant(tenant_a):
        assert not ImportRun.objects.exists() and not DiscoveredApp.objects.exists()


def test_oversized_upload_is_refused_by_declared_length(tenant_a, assessor_a, login, settings):
    settings.VENDORVET_DISCOVERY_MAX_UPLOAD_BYTES = 1000
    client = login(assessor_a)
    big = SimpleUploadedFile("big.log", b"a.example.com\n" * 20000)
    response = client.post("/discovery/import/", {"source": "proxy_log", "files": [big]})
    assert response.status_code == 413


def test_roles_and_tenant_isolation(tenant_a, tenant_b, auditor_a, admin_b, login, importing):
    importing(tenant_a, "entra", ENTRA)
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.first()
    auditor = login(auditor_a)
    assert auditor.get("/discovery/").status_code == 200
    assert auditor.get("/discovery/import/").status_code == 403
    assert auditor.post(f"/discovery/apps/{app.pk}/", {"required_scopes": "x"}).status_code == 403
    other = login(admin_b)
    assert other.get(f"/discovery/apps/{app.pk}/").status_code == 404
    assert other.get(f"/discovery/integrations/{app.integration_id}/panel/").status_code == 404
    assert app.name not in other.get("/discovery/").content.decode()


def test_api_import_list_and_permissions(tenant_a, tenant_b, assessor_a, auditor_a, admin_b):
    _t, key = issue(tenant_a, assessor_a)
    api = client_with(key)
    data = {"source": "google_tokens", "files": _files(GOOGLE_TOKENS)}
    response = api.post("/api/discovery/imports/", data, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["apps_new"] == 6 and len(response.json()["new_apps"]) == 6
    revoked = response.json()["revoked"]  # the token log's revoke events
    assert revoked["grants_total"] == 4 and {g["app"] for g in revoked["grants"]} >= {"Mail Merge Pro", "Calendly"}
    assert [a["name"] for a in revoked["apps"]] == []  # apps found for the first time are new, not revoked
    listing = api.get("/api/discovery/apps/?risk=high").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert {r["name"] for r in rows} >= {"Mail Merge Pro", "iOS Account Manager"}
    assert all(r["risk"] == "high" for r in rows)
    assert api.get("/api/discovery/apps/?risk=extreme").status_code == 400
    bad = api.post("/api/discovery/imports/", {"source": "entra", "files": [
        SimpleUploadedFile("x.json", b"PK\x03\x04zip")]}, format="multipart")
    assert bad.status_code == 400 and "ZIP" in bad.json()["detail"]
    _t, auditor_key = issue(tenant_a, auditor_a)
    auditor = client_with(auditor_key)
    assert auditor.get("/api/discovery/apps/").status_code == 200
    assert auditor.post("/api/discovery/imports/", {"source": "entra", "files": _files(ENTRA)},
                        format="multipart").status_code == 403
    _t, b_key = issue(tenant_b, admin_b)
    other = client_with(b_key).get("/api/discovery/apps/").json()
    assert (other["results"] if isinstance(other, dict) else other) == []
