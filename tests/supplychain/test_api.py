"""REST API: SBOM versions (list, import, diff) and findings, role-checked and tenant-isolated."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import sbom_bytes

pytestmark = pytest.mark.django_db


def test_list_findings_and_diff(tenant_a, auditor_a, sboms_a, api_as):
    api = api_as(tenant_a, auditor_a)
    rows = api.get("/api/supplychain/sboms/", {"integration": sboms_a["integration"].pk}).json()
    rows = rows.get("results", rows)
    assert sorted(r["label"] for r in rows) == ["1.0", "1.1"]
    findings = api.get("/api/supplychain/findings/", {"sbom": sboms_a["new"].pk}).json()
    findings = findings.get("results", findings)
    assert {f["advisory_id"] for f in findings} == {"GHSA-35jh-r3h4-6jhm", "SYNTH-2026-0002"}
    lodash = next(f for f in findings if f["advisory_id"] == "GHSA-35jh-r3h4-6jhm")
    assert lodash["first_fixed"] == "4.17.21" and lodash["component"]["purl"] == "pkg:npm/lodash@4.17.20"
    diff = api.get(f"/api/supplychain/sboms/{sboms_a['new'].pk}/diff/").json()
    assert diff["old"] == sboms_a["old"].pk and diff["added"] == ["pkg:npm/synth-last@1.4.2"]
    assert {"id": "GHSA-jfh8-c2jp-5v3q", "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"} in \
        diff["vulnerabilities_fixed"]


def test_import_requires_import_permission(tenant_a, auditor_a, assessor_a, crm_a, osv_db, api_as):
    payload = {"integration": crm_a.pk, "label": "3.0"}
    denied = api_as(tenant_a, auditor_a).post(
        "/api/supplychain/sboms/", {**payload, "file": SimpleUploadedFile("a.json", sbom_bytes("app.spdx.json"))},
        format="multipart")
    assert denied.status_code == 403
    api = api_as(tenant_a, assessor_a)
    created = api.post("/api/supplychain/sboms/",
                       {**payload, "file": SimpleUploadedFile("a.json", sbom_bytes("app.spdx.json"))},
                       format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["format"] == "spdx-json" and created.json()["component_count"] == 2
    bad = api.post("/api/supplychain/sboms/",
                   {**payload, "label": "3.1", "file": SimpleUploadedFile("a.json", b'{"hello": 1}')},
                   format="multipart")
    assert bad.status_code == 400 and "neither CycloneDX" in bad.content.decode()


def test_other_tenant_cannot_see_or_import(tenant_b, admin_b, sboms_a, api_as):
    api = api_as(tenant_b, admin_b)
    assert api.get(f"/api/supplychain/sboms/{sboms_a['new'].pk}/").status_code == 404
    rows = api.get("/api/supplychain/findings/").json()
    assert rows.get("results", rows) == []
    response = api.post("/api/supplychain/sboms/",
                        {"integration": sboms_a["integration"].pk, "label": "x",
                         "file": SimpleUploadedFile("a.spdx", sbom_bytes("app.spdx"))}, format="multipart")
    assert response.status_code == 400  # the integration id does not resolve in tenant B
