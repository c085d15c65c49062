"""Importing SBOM versions: stored components and findings, all-or-nothing, roles, diff."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import acting
from vendorvet.web.accounts.roles import PermissionDeniedError
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.supplychain import services
from vendorvet.web.supplychain.models import SbomComponent, SbomVersion, VulnerabilityFinding

from .conftest import sbom_bytes

pytestmark = pytest.mark.django_db


def test_import_stores_components_and_findings(tenant_a, sboms_a):
    old = sboms_a["old"]
    with acting(tenant_a):
        assert (old.format, old.spec_version, old.component_count, old.without_purl) == (
            "cyclonedx-json", "1.5", 5, 1)
        comps = {c.purl: c for c in old.components.all()}
        assert comps["pkg:pypi/jinja2@3.1.2"].licenses == ["BSD-3-Clause"]
        assert comps["pkg:pypi/jinja2@3.1.2"].package == "pkg:pypi/jinja2"
        assert comps["pkg:golang/golang.org/x/net@v0.15.0"].path == "log4j-core"
        findings = {f.advisory_id: f for f in old.findings.select_related("component")}
        assert set(findings) == {"GHSA-h5c8-rqwp-cp95", "GHSA-h75v-3vvj-5mfj", "GHSA-35jh-r3h4-6jhm",
                                 "GHSA-jfh8-c2jp-5v3q", "GHSA-4374-p667-p6c8"}
        log4j = findings["GHSA-jfh8-c2jp-5v3q"]
        assert (log4j.severity, float(log4j.cvss_score), log4j.first_fixed) == ("critical", 10.0, "2.15.0")
        assert log4j.aliases == ["CVE-2021-44228"]
        assert findings["GHSA-4374-p667-p6c8"].aliases == ["CVE-2023-39325", "GO-2023-2102"]
        assert list(old.findings.values_list("severity", flat=True))[0] == "critical"  # worst first


def test_one_change_history_entry_per_import(tenant_a, sboms_a):
    with acting(tenant_a):
        changes = ObjectChange.objects.filter(changed_object_type__model="sbomversion")
        assert changes.count() == 2
        assert ObjectChange.objects.filter(changed_object_type__model="sbomcomponent").count() == 0
        assert changes.filter(related_object_id=sboms_a["integration"].pk).count() == 2


@pytest.mark.parametrize("data,message", [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>',
     "DTD or entities"),
    (b"[" * 5000 + b"]" * 5000, "too deeply nested"),
    (b"garbage", "unknown SBOM format"),
])
def test_hostile_sbom_stores_nothing(tenant_a, admin_a, crm_a, osv_db, data, message):
    with acting(tenant_a, admin_a):
        with pytest.raises(ValidationError, match=message):
            services.import_sbom(crm_a, data, label="bad")
        assert SbomVersion.objects.count() == SbomComponent.objects.count() == VulnerabilityFinding.objects.count() == 0


def test_auditor_may_not_import_and_labels_are_unique(tenant_a, auditor_a, admin_a, crm_a, osv_db):
    with acting(tenant_a, auditor_a, role="auditor"):
        with pytest.raises(PermissionDeniedError):
            services.import_sbom(crm_a, sbom_bytes("app.spdx"), label="1.0")
    with acting(tenant_a, admin_a):
        services.import_sbom(crm_a, sbom_bytes("app.spdx"), label="1.0")
        with pytest.raises(ValidationError, match="already has an SBOM"):
            services.import_sbom(crm_a, sbom_bytes("app.spdx.json"), label="1.0")
        assert SbomVersion.objects.count() == 1


def test_diff_between_versions(tenant_a, sboms_a):
    with acting(tenant_a):
        d = services.diff(sboms_a["old"], sboms_a["new"])
        assert [c.purl for c in d["added"]] == ["pkg:npm/synth-last@1.4.2"]
        assert sorted(c.purl for c in d["removed"]) == ["pkg:golang/golang.org/x/net@v0.15.0",
                                                        "pkg:pypi/requests@2.32.3"]
        assert {(u["package"], u["old"], u["new"]) for u in d["upgraded"]} == {
            ("pkg:pypi/jinja2", "3.1.2", "3.1.4"),
            ("pkg:maven/org.apache.logging.log4j/log4j-core", "2.14.1", "2.17.1")}
        assert [f.advisory_id for f in d["vulns_added"]] == ["SYNTH-2026-0002"]
        assert [f.advisory_id for f in d["vulns_fixed"]] == [
            "GHSA-jfh8-c2jp-5v3q", "GHSA-4374-p667-p6c8", "GHSA-h5c8-rqwp-cp95", "GHSA-h75v-3vvj-5mfj"]
        assert services.previous_version(sboms_a["new"]) == sboms_a["old"]
        assert services.previous_version(sboms_a["old"]) is None


def test_package_key():
    assert services.package_key("pkg:npm/%40scope/name@1.0.0?x=y#sub") == "pkg:npm/%40scope/name"
    assert services.package_key("pkg:pypi/jinja2") == "pkg:pypi/jinja2"
