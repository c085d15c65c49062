"""OpenAPI audits attached to an integration: web upload, CLI, API, and the review they answer."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.conftest import client_with, issue
from tests.conftest import acting
from tests.discovery.conftest import FIXTURES
from vendorvet.web.core.context import use_tenant
from vendorvet.web.discovery.models import OpenApiAudit

pytestmark = pytest.mark.django_db

OPENAPI = FIXTURES / "openapi"
PAYMENTS = OPENAPI / "payments_stripe_style_3.0.yaml"  # one operation without authentication, HTTP Basic
PETSTORE = OPENAPI / "petstore_swagger_2.0.json"
BOMB = OPENAPI / "billion_laughs.yaml"


def _upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def _count(tenant) -> int:
    with use_tenant(tenant):
        return OpenApiAudit.objects.count()


@pytest.fixture
def payments(tenant_a, make_integration):
    return make_integration(tenant_a, "Acme Payments", data_categories=["personal"], access_scope="admin",
                            processing_countries=["DE"])


def test_web_upload_stores_the_audit_and_the_panel_shows_failed_findings(tenant_a, assessor_a, login, payments):
    client = login(assessor_a)
    panel = client.get(reverse("discovery:openapi_panel", args=[payments.pk])).content.decode()
    assert "No API specification has been audited" in panel and 'enctype="multipart/form-data"' in panel
    response = client.post(reverse("discovery:openapi_upload", args=[payments.pk]), {"file": _upload(PAYMENTS)})
    assert response.status_code == 302 and response["Location"] == payments.get_absolute_url()
    with use_tenant(tenant_a):
        audit = OpenApiAudit.objects.get()
    assert audit.integration_id == payments.pk and audit.file_name == PAYMENTS.name
    assert audit.openapi_version == "3.0.0" and audit.title == "Stripe API"
    assert audit.counts["fail"] == 2 and sum(audit.counts.values()) == len(audit.findings) == 11
    none = next(f for f in audit.findings if f["check_id"] == "openapi.auth.none")
    assert none["status"] == "fail" and none["severity"] == "high"
    assert none["evidence"]["pointer"].startswith("/paths/~1v1~1checkout~1sessi")
    assert set(none) == {"check_id", "status", "severity", "title", "detail", "evidence"}
    panel = client.get(reverse("discovery:openapi_panel", args=[payments.pk])).content.decode()
    assert "openapi.auth.none" in panel and "openapi.auth.basic" in panel and none["evidence"]["pointer"] in panel
    assert "openapi.oauth.implicit_flow" not in panel  # passed checks are not listed
    detail = client.get(payments.get_absolute_url()).content.decode()
    assert reverse("discovery:openapi_panel", args=[payments.pk]) in detail
    with use_tenant(tenant_a):
        from vendorvet.web.core.models import ObjectChange
        assert ObjectChange.objects.filter(object_repr__contains=PAYMENTS.name).exists()


def test_german_panel(tenant_a, assessor_a, login, payments):
    client = login(assessor_a, HTTP_ACCEPT_LANGUAGE="de")
    panel = client.get(reverse("discovery:openapi_panel", args=[payments.pk])).content.decode()
    assert "API-Spezifikation" in panel and "No API specification" not in panel


def test_bad_files_show_an_error_and_store_nothing(tenant_a, assessor_a, login, payments, tmp_path):
    client = login(assessor_a)
    url = reverse("discovery:openapi_upload", args=[payments.pk])
    response = client.post(url, {"file": _upload(BOMB)})
    assert response.status_code == 400 and "refusing to audit it" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("spec.yaml", b"name: not an api\n")})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was stored" in page and "not an OpenAPI document" in page
    assert "spec.yaml" in page and "/tmp/" not in page  # the user's file name, not our temporary path
    assert _count(tenant_a) == 0


def test_roles_and_tenant_isolation(tenant_a, tenant_b, auditor_a, admin_b, login, payments):
    auditor = login(auditor_a)
    assert auditor.get(reverse("discovery:openapi_panel", args=[payments.pk])).status_code == 200
    assert "Audit API specification" not in auditor.get(
        reverse("discovery:openapi_panel", args=[payments.pk])).content.decode()
    url = reverse("discovery:openapi_upload", args=[payments.pk])
    assert auditor.post(url, {"file": _upload(PAYMENTS)}).status_code == 403
    other = login(admin_b)
    assert other.post(url, {"file": _upload(PAYMENTS)}).status_code == 404
    assert other.get(reverse("discovery:openapi_panel", args=[payments.pk])).status_code == 404
    assert _count(tenant_a) == 0 and _count(tenant_b) == 0


def test_cli_stores_with_integration_and_not_without(tenant_a, assessor_a, payments, capsys):
    from vendorvet.cli.main import main

    assert main(["openapi", "audit", str(PAYMENTS), "--format", "json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert _count(tenant_a) == 0
    args = ["--integration", str(payments.pk), "--tenant", "nordlicht", "--user", "arne.assessor"]
    assert main(["openapi", "audit", str(PAYMENTS), "--format", "json", *args]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == plain and "stored as OpenAPI audit" in captured.err
    with use_tenant(tenant_a):
        audit = OpenApiAudit.objects.get()
    assert audit.findings == [{k: f[k] for k in ("check_id", "status", "severity", "title", "detail", "evidence")}
                              for f in plain["targets"][0]["findings"]]
    assert main(["openapi", "audit", str(BOMB), *args]) == 1
    assert main(["openapi", "audit", str(PAYMENTS), "--integration", "999999", "--tenant", "nordlicht",
                 "--user", "arne.assessor"]) == 1
    assert "no integration 999999" in capsys.readouterr().err
    assert _count(tenant_a) == 1


def test_cli_auditor_may_not_store(tenant_a, auditor_a, payments, capsys):
    from vendorvet.cli.main import main

    code = main(["openapi", "audit", str(PAYMENTS), "--integration", str(payments.pk), "--tenant", "nordlicht",
                 "--user", "aylin.auditor"])
    assert code != 0 and _count(tenant_a) == 0


def test_api_create_list_retrieve_and_roles(tenant_a, tenant_b, assessor_a, auditor_a, admin_b, payments):
    _t, key = issue(tenant_a, assessor_a)
    api = client_with(key)
    response = api.post("/api/discovery/openapi-audits/", {"integration": payments.pk, "file": _upload(PETSTORE)},
                        format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["integration"] == payments.pk and body["openapi_version"] == "2.0"
    assert {f["check_id"] for f in body["findings"]} >= {"openapi.auth.none", "openapi.server.http"}
    listing = api.get(f"/api/discovery/openapi-audits/?integration={payments.pk}").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [r["id"] for r in rows] == [body["id"]]
    assert api.get(f"/api/discovery/openapi-audits/{body['id']}/").json()["file_name"] == PETSTORE.name
    bad = api.post("/api/discovery/openapi-audits/", {"integration": payments.pk, "file": _upload(BOMB)},
                   format="multipart")
    assert bad.status_code == 400 and "nothing was stored" in bad.json()["detail"]
    _t, auditor_key = issue(tenant_a, auditor_a)
    auditor = client_with(auditor_key)
    assert auditor.get("/api/discovery/openapi-audits/").status_code == 200
    assert auditor.post("/api/discovery/openapi-audits/", {"integration": payments.pk, "file": _upload(PETSTORE)},
                        format="multipart").status_code == 403
    _t, b_key = issue(tenant_b, admin_b)
    other = client_with(b_key)
    assert other.get(f"/api/discovery/openapi-audits/{body['id']}/").status_code == 404
    assert other.post("/api/discovery/openapi-audits/", {"integration": payments.pk, "file": _upload(PETSTORE)},
                      format="multipart").status_code == 400
    assert _count(tenant_a) == 1 and _count(tenant_b) == 0


def test_the_review_gains_a_score_line_and_a_suggestion(tenant_a, assessor_a, login, payments):
    from vendorvet.web.assessments import services

    with acting(tenant_a, assessor_a, role="assessor"):
        assessment = services.start_assessment(payments)
        assert assessment.answers.filter(requirement_id="auth.oauth").exists()
        before = assessment.score()
        assert not any(line.key.startswith("finding:openapi.") for line in before.lines)
    client = login(assessor_a)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Suggested answer" not in page.split('data-requirement="auth.oauth"', 1)[1].split("</article>", 1)[0]
    client.post(reverse("discovery:openapi_upload", args=[payments.pk]), {"file": _upload(PAYMENTS)})
    with acting(tenant_a, assessor_a, role="assessor"):
        after = assessment.score()
        audit = OpenApiAudit.objects.get()
    pointer = next(f for f in audit.findings if f["check_id"] == "openapi.auth.none")["evidence"]["pointer"]
    line = next(line for line in after.lines if line.key == f"finding:openapi.auth.none@{pointer}")
    assert line.points > 0 and after.points_lost == before.points_lost + sum(
        ln.points for ln in after.lines if ln.key.startswith("finding:openapi."))
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    block = page.split('data-requirement="auth.oauth"', 1)[1].split("</article>", 1)[0]
    assert "openapi.auth.none" in block and "Suggested answer: Not met" in block and pointer in block
    assert PAYMENTS.name in block
