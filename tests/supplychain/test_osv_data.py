"""Vulnerability data status everywhere (web, API, CLI, check-config, point 10), the administrators' web
import (demo subset, upload, allowed server path) with its progress, and honest "not checked" SBOM pages."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import acting
from tests.engine_supplychain.test_coverage import _understating_zip
from tests.web.conftest import assert_csp_clean
from vendorvet.cli.main import main
from vendorvet.web.supplychain.evidence_providers import SupplyChainEvidence
from vendorvet.web.supplychain import osvimport, services

from .conftest import FIXTURES, sbom_bytes

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def empty_osv(tmp_path, settings):
    settings.SUPPLYCHAIN_OSV_DATABASE = str(tmp_path / "data" / "osv.sqlite3")
    settings.TASKS = IMMEDIATE
    return tmp_path / "data" / "osv.sqlite3"


@pytest.fixture
def unchecked_sbom(tenant_a, admin_a, crm_a, empty_osv):
    with acting(tenant_a, admin_a):
        return services.import_sbom(crm_a, sbom_bytes("app-1.0.cdx.json"), label="1.0", filename="app-1.0.cdx.json")


def test_empty_database_sbom_page_says_not_checked(auditor_a, unchecked_sbom, login):
    client = login(auditor_a)
    html = client.get(reverse("supplychain:sbom", args=[unchecked_sbom.pk])).content.decode()
    assert "Not checked" in html and "no vulnerability data for Go, Maven, PyPI, npm" in html
    assert "No known vulnerabilities" not in html
    assert "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 — no vulnerability data for Maven" in html
    assert_csp_clean(html)
    overview = client.get(reverse("supplychain:overview")).content.decode()
    assert "No vulnerability data imported." in overview
    assert 'badge sev-unknown">not checked<' in overview  # the list does not say "0" either
    panel = client.get(reverse("supplychain:integration_panel", args=[unchecked_sbom.integration_id])).content
    assert b"Not checked" in panel and b"No known vulnerabilities" not in panel
    page = client.get(reverse("supplychain:osv")).content.decode()
    assert "No vulnerability data imported." in page and 'id="osv-import"' not in page  # auditors cannot import
    assert client.post(reverse("supplychain:osv_import"), {"demo": "1"}).status_code == 403


def test_point10_does_not_pass_an_unchecked_sbom_then_demo_import_finds_log4shell(
        tenant_a, admin_a, crm_a, unchecked_sbom, login):
    with acting(tenant_a, admin_a):
        ev = SupplyChainEvidence().evidence(crm_a, ["supply.sbom"])["supply.sbom"]
    assert ev.could_not_check and ev.suggested is None
    assert ev.extra["coverage"].status == "not_checked" and ev.extra["osv"]["empty"]
    assert "no vulnerability data" in str(ev.reason)

    client = login(admin_a)
    html = client.get(reverse("supplychain:osv")).content.decode()
    assert 'id="import-demo"' in html
    resp = client.post(reverse("supplychain:osv_import"), {"demo": "1"})
    assert resp.status_code == 302
    state = osvimport.read_state()
    assert state["state"] == "done" and state["added"] >= 2 and state["read"] == state["total"]
    status = services.osv_status()
    assert status["records"] >= 2 and status["ecosystems"]["Maven"] >= 2 and status["age_days"] == 0
    html = client.get(reverse("supplychain:sbom", args=[unchecked_sbom.pk])).content.decode()
    assert "GHSA-jfh8-c2jp-5v3q" in html and "CVE-2021-44228" in html  # re-matched after the import
    with acting(tenant_a, admin_a):
        ev = SupplyChainEvidence().evidence(crm_a, ["supply.sbom"])["supply.sbom"]
    assert ev.checked and ev.extra["coverage"].status in ("partial", "checked") and ev.suggested == "not_met"
    assert ev.extra["sbom_total"] >= 2 and not ev.extra["osv"]["empty"]
    # a second demo import into a non-empty database is offered no more
    assert 'id="import-demo"' not in client.get(reverse("supplychain:osv")).content.decode()


def test_truncated_upload_stores_nothing_and_says_why(admin_a, empty_osv, login, tmp_path):
    good = tmp_path / "all.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((FIXTURES / "osv").glob("*.json")):
            zf.writestr(p.name, p.read_bytes())
    client = login(admin_a)
    truncated = good.read_bytes()[: good.stat().st_size * 2 // 3]
    resp = client.post(reverse("supplychain:osv_import"),
                       {"file": SimpleUploadedFile("all.zip", truncated, content_type="application/zip")})
    assert resp.status_code == 302
    html = client.get(reverse("supplychain:osv")).content.decode()
    assert "The import failed and stored nothing." in html and "all.zip: not a complete zip archive" in html
    assert str(osvimport.upload_dir()) not in html  # the server-side file name is not shown
    assert services.osv_status()["records"] == 0 and list(osvimport.upload_dir().iterdir()) == []
    # a member whose header understates its size: refused as a whole, nothing stored
    lying = _understating_zip(tmp_path, {p.name: p.read_bytes() for p in sorted((FIXTURES / "osv").glob("*.json"))},
                              "GHSA-jfh8-c2jp-5v3q.json")
    client.post(reverse("supplychain:osv_import"),
                {"file": SimpleUploadedFile("maven.zip", lying.read_bytes(), content_type="application/zip")})
    assert osvimport.read_state()["state"] == "failed" and services.osv_status()["records"] == 0
    # the complete file imports
    client.post(reverse("supplychain:osv_import"),
                {"file": SimpleUploadedFile("all.zip", good.read_bytes(), content_type="application/zip")})
    assert osvimport.read_state()["state"] == "done" and services.osv_status()["records"] == 16
    html = client.get(reverse("supplychain:osv")).content.decode()
    assert "Imported all.zip: 16 added" in html


def test_server_path_only_from_the_allow_list(admin_a, empty_osv, login, monkeypatch):
    client = login(admin_a)
    resp = client.post(reverse("supplychain:osv_import"), {"server_path": "/etc"})
    assert resp.status_code == 400 and "No server paths are allowed" in resp.content.decode()
    monkeypatch.setenv("VENDORVET_OSV_IMPORT_PATHS", str(FIXTURES / "osv"))
    resp = client.post(reverse("supplychain:osv_import"), {"server_path": "/etc/passwd"})
    assert resp.status_code == 400 and "not among the paths the operator allowed" in resp.content.decode()
    resp = client.post(reverse("supplychain:osv_import"), {"server_path": str(FIXTURES / "osv" / ".." / "sbom")})
    assert resp.status_code == 400
    assert services.osv_status()["records"] == 0
    resp = client.post(reverse("supplychain:osv_import"), {"server_path": str(FIXTURES / "osv")})
    assert resp.status_code == 302 and services.osv_status()["records"] == 16
    assert client.post(reverse("supplychain:osv_import"), {}).status_code == 400  # neither file nor path


def test_progress_fragment_polls_only_while_running(admin_a, empty_osv, login):
    client = login(admin_a)
    osvimport._write_state({"id": "x", "state": "running", "source": "all.zip", "read": 50, "total": 200,
                            "ecosystems": ["Maven", "npm"], "updated": __import__("time").time()})
    html = client.get(reverse("supplychain:osv_progress")).content.decode()
    assert 'hx-trigger="every 2s"' in html and "50 records read" in html and "(25 %)" in html
    assert "Maven, npm" in html
    # while one runs, a second import is refused
    resp = client.post(reverse("supplychain:osv_import"), {"demo": "1"})
    assert resp.status_code == 302 and osvimport.read_state()["id"] == "x"
    osvimport._write_state({"id": "x", "state": "done", "source": "all.zip", "added": 1, "replaced": 0,
                            "unchanged": 0, "updated": 0})
    assert "hx-trigger" not in client.get(reverse("supplychain:osv_progress")).content.decode()


def test_api_osv_status(tenant_a, auditor_a, osv_db, api_as, anon_api):
    resp = api_as(tenant_a, auditor_a).get("/api/supplychain/osv-status/")
    assert resp.status_code == 200
    body = resp.json()
    assert body["records"] == 16 and body["ecosystems"]["Maven"] == 1 and body["imported_at"]
    assert body["empty"] is False and body["stale"] is False and body["age_days"] == 0
    assert anon_api.get("/api/supplychain/osv-status/").status_code in (401, 403)


def test_cli_status_check_config_and_lying_zip(tmp_path, capsys, monkeypatch):
    db = tmp_path / "osv.sqlite3"
    assert main(["osv", "status", "--db", str(db), "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["empty"] is True and status["records"] == 0 and status["imported_at"] is None
    monkeypatch.setenv("VENDORVET_DATA_DIR", str(tmp_path))
    main(["check-config", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert any(p["setting"] == "OSV database" and "is empty" in p["message"] for p in problems)
    lying = _understating_zip(tmp_path, {p.name: p.read_bytes() for p in sorted((FIXTURES / "osv").glob("*.json"))},
                              "GHSA-jfh8-c2jp-5v3q.json")
    assert main(["osv", "import", str(lying), "--db", str(db)]) == 1  # an error message, no traceback
    err = capsys.readouterr().err
    assert "damaged or truncated" in err and "Traceback" not in err
    assert main(["osv", "import", str(FIXTURES / "osv"), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["osv", "status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Records: 16" in out and "(0 days ago)" in out
    main(["check-config", "--format", "json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert not any(p["setting"] == "OSV database" for p in problems)


def test_sbom_check_json_contract(tmp_path, capsys):
    db = tmp_path / "osv.sqlite3"
    from vendorvet.engine.supplychain.store import OsvStore

    OsvStore(db).close()  # an empty database
    sbom = tmp_path / "mixed.cdx.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
        {"type": "library", "name": "log4j-core", "version": "2.14.1",
         "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
        {"type": "library", "name": "internal", "version": "7"}]}))
    assert main(["sbom", "check", str(sbom), "--db", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"status", "components", "not_checked", "not_checkable", "database", "vulnerabilities"}
    assert out["status"] == "not_checked" and out["components"] == 1 and out["vulnerabilities"] == []
    assert out["not_checked"] == [{"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                                   "reason": "no vulnerability data for Maven"}]
    assert out["not_checkable"] == [{"name": "internal", "version": "7", "reason": "no package URL"}]
    assert main(["sbom", "check", str(sbom), "--db", str(db)]) == 0
    assert "NOT CHECKED" in capsys.readouterr().out
    assert main(["osv", "import", str(FIXTURES / "osv"), "--db", str(db)]) == 0
    capsys.readouterr()
    main(["sbom", "check", str(sbom), "--db", str(db), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "partial" and out["database"]["records"] == 16
    assert out["database"]["ecosystems"]["Maven"] == 1 and out["vulnerabilities"][0]["id"] == "GHSA-jfh8-c2jp-5v3q"


@pytest.fixture
def reset_language():
    from django.utils import translation

    yield
    translation.deactivate()  # the test client's German request leaves German active in this thread


def test_german_pages(admin_a, unchecked_sbom, login, reset_language):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("supplychain:sbom", args=[unchecked_sbom.pk])).content.decode()
    assert "Nicht geprüft" in html and "keine Schwachstellendaten für Go, Maven, PyPI, npm" in html
    assert "5 Komponenten nicht geprüft" in html
    page = client.get(reverse("supplychain:osv")).content.decode()
    assert "Keine Schwachstellendaten importiert." in page and "Demo-Schwachstellendaten importieren" in page
