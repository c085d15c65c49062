"""``vendorvet osv import|status`` and ``vendorvet sbom check|import``, run in-process."""

from __future__ import annotations

import json

import pytest

from tests.conftest import acting
from vendorvet.cli.main import main
from vendorvet.web.supplychain.models import SbomVersion

from .conftest import FIXTURES

SBOMS = FIXTURES / "sbom"


def test_osv_import_status_and_sbom_check_json(tmp_path, capsys):
    db = str(tmp_path / "osv.sqlite3")
    assert main(["osv", "import", str(FIXTURES / "osv"), "--db", db]) == 0
    assert "16 added" in capsys.readouterr().out
    assert main(["osv", "import", str(FIXTURES / "osv"), "--db", db]) == 0
    assert "16 unchanged" in capsys.readouterr().out
    assert main(["osv", "status", "--db", db, "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["records"] == 16 and status["ecosystems"]["Maven"] == 1
    assert main(["sbom", "check", str(SBOMS / "app-1.0.cdx.json"), "--db", db, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["components"] == 5
    by_id = {v["id"]: v for v in out["vulnerabilities"]}
    assert by_id["GHSA-jfh8-c2jp-5v3q"] == {
        "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "id": "GHSA-jfh8-c2jp-5v3q",
        "aliases": ["CVE-2021-44228"], "severity": "critical", "cvss": 10.0, "fixed_versions": ["2.15.0"]}
    assert by_id["GHSA-4374-p667-p6c8"]["aliases"] == ["CVE-2023-39325", "GO-2023-2102"]


def test_cli_errors_are_clear(tmp_path, capsys):
    assert main(["osv", "import", str(tmp_path / "missing.zip"), "--db", str(tmp_path / "x.db")]) == 1
    assert "no such file" in capsys.readouterr().err
    assert main(["sbom", "check", str(SBOMS / "app.spdx"), "--db", str(tmp_path / "none.db")]) == 1
    assert "osv import" in capsys.readouterr().err
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>')
    assert main(["sbom", "check", str(bad), "--db", str(tmp_path / "none.db")]) == 1
    assert "entity expansion" in capsys.readouterr().err


@pytest.mark.django_db
def test_sbom_check_writes_nothing_and_import_stores(tenant_a, admin_a, auditor_a, crm_a, osv_db, capsys):
    assert main(["sbom", "check", str(SBOMS / "app.spdx"), "--db", str(osv_db)]) == 0
    assert "GHSA-4374-p667-p6c8" in capsys.readouterr().out
    with acting(tenant_a):
        assert SbomVersion.objects.count() == 0
    args = ["sbom", "import", str(SBOMS / "app.spdx"), "--integration", str(crm_a.pk), "--label", "5.0",
            "--tenant", tenant_a.slug]
    assert main([*args, "--user", auditor_a.username]) == 1
    assert "permission denied" in capsys.readouterr().err
    assert main([*args, "--user", admin_a.username]) == 0
    assert "2 components, 1 known vulnerabilities" in capsys.readouterr().out
    with acting(tenant_a):
        sbom = SbomVersion.objects.get()
        assert (sbom.label, sbom.format) == ("5.0", "spdx-tv")
    assert main(["sbom", "import", str(SBOMS / "app.spdx"), "--integration", "999999", "--tenant", tenant_a.slug,
                 "--user", admin_a.username]) == 1
    assert "no integration" in capsys.readouterr().err
