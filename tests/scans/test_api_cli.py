"""REST API (list/show scan runs and findings, POST to start) and ``vendorvet scan-integration``."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from vendorvet.cli.main import main

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def test_api_starts_a_scan_and_lists_runs_and_findings(api_as, tenant_a, assessor_a, scan_settings, allow_private,
                                                       scanned_integration):
    api = api_as(tenant_a, assessor_a)
    response = api.post("/api/scan-runs/", {"integration": scanned_integration.pk}, format="json")
    assert response.status_code == 202, response.content
    run = response.json()
    assert run["status"] == "done" and run["integration"] == scanned_integration.pk
    assert run["counts"]["pass"] > 10 and run["counts"]["fail"] >= 1
    [target] = run["targets"]
    assert target["grade"] in ("A", "B") and target["addresses"] == ["127.0.0.1"]

    detail = api.get(f"/api/scan-runs/{run['id']}/").json()
    assert detail["changes"] == {"previous_run": None, "new": [], "resolved": [], "changed": []}
    listed = api.get(f"/api/scan-runs/?integration={scanned_integration.pk}").json()
    assert [r["id"] for r in listed["results"]] == [run["id"]]

    failing = api.get(f"/api/scan-findings/?integration={scanned_integration.pk}&status=fail").json()["results"]
    assert failing and all(f["status"] == "fail" and f["run"] == run["id"] for f in failing)
    assert "disclosure.security_txt" in {f["check_id"] for f in failing}
    tls = api.get(f"/api/scan-findings/?run={run['id']}&check_id=tls.cert").json()["results"]
    assert tls and all(f["check_id"].startswith("tls.cert.") for f in tls)
    one = api.get(f"/api/scan-findings/{tls[0]['id']}/").json()
    assert set(one) >= {"check_id", "status", "severity", "title", "detail", "evidence", "target", "host", "port"}
    assert api.get("/api/scan-findings/?status=bogus").status_code == 400


def test_api_roles_conflicts_and_tenants(api_as, tenant_a, tenant_b, auditor_a, assessor_a, admin_b, scan_settings,
                                         scanned_integration, make_integration):
    auditor = api_as(tenant_a, auditor_a)
    assert auditor.post("/api/scan-runs/", {"integration": scanned_integration.pk}, format="json").status_code == 403
    assert auditor.get("/api/scan-runs/").status_code == 200
    assessor = api_as(tenant_a, assessor_a)
    bare = make_integration(tenant_a, name="Bare")
    assert assessor.post("/api/scan-runs/", {"integration": bare.pk}, format="json").status_code == 409
    assert assessor.post("/api/scan-runs/", {"integration": "x"}, format="json").status_code == 400
    first = assessor.post("/api/scan-runs/", {"integration": scanned_integration.pk}, format="json").json()
    other = api_as(tenant_b, admin_b)
    assert other.post("/api/scan-runs/", {"integration": scanned_integration.pk}, format="json").status_code == 404
    assert other.get(f"/api/scan-runs/{first['id']}/").status_code == 404
    assert other.get("/api/scan-runs/").json()["results"] == []
    assert other.get(f"/api/scan-findings/?run={first['id']}").json()["results"] == []


def test_cli_scan_integration_waits_and_prints_json(capsys, tenant_a, assessor_a, scan_settings, allow_private,
                                                    scanned_integration):
    code = main(["scan-integration", str(scanned_integration.pk), "--tenant", "nordlicht", "--user",
                 "arne.assessor", "--wait", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    assert doc["status"] == "done" and doc["integration"] == scanned_integration.pk
    [target] = doc["targets"]
    statuses = {f["check_id"]: f["status"] for f in target["findings"]}
    assert statuses["tls.protocol.tls13"] == "pass" and target["grade"] in ("A", "B")


def test_cli_table_and_refusals(capsys, tenant_a, auditor_a, assessor_a, scan_settings, scanned_integration):
    code = main(["scan-integration", str(scanned_integration.pk), "--tenant", "nordlicht", "--user", "aylin.auditor"])
    assert code == 1 and "permission denied" in capsys.readouterr().err
    code = main(["scan-integration", "999999", "--tenant", "nordlicht", "--user", "arne.assessor"])
    assert code == 1 and "no integration with id 999999" in capsys.readouterr().err
    code = main(["scan-integration", str(scanned_integration.pk), "--tenant", "nordlicht", "--user", "arne.assessor"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"of integration {scanned_integration.pk}: done" in out
    assert "refused by the SSRF guard" in out  # the tenant setting is off: loopback refused
