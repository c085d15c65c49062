"""An OSV import re-matches the changed advisories against every tenant's latest stored SBOMs and alerts once."""

from __future__ import annotations

import json

import pytest

from tests.conftest import acting
from tests.monitoring.conftest import immediate_tasks, receiver, webhook_rule  # noqa: F401  (fixtures)
from tests.scans.conftest import allow_private  # noqa: F401  (fixture)
from vendorvet.cli.main import main

from .conftest import FIXTURES, sbom_bytes

pytestmark = pytest.mark.django_db
LODASH = "GHSA-35jh-r3h4-6jhm"


@pytest.fixture
def osv_without_lodash(tmp_path, settings):
    """The installation's OSV database with every fixture record except the lodash advisory."""
    from vendorvet.engine.supplychain.store import OsvStore

    src = tmp_path / "records"
    src.mkdir()
    for path in (FIXTURES / "osv").glob("*.json"):
        if path.stem != LODASH:
            (src / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "osv.sqlite3"
    with OsvStore(db) as store:
        store.import_path(src)
    settings.SUPPLYCHAIN_OSV_DATABASE = str(db)
    return db


def write_record(tmp_path, name, **changes) -> str:
    record = json.loads((FIXTURES / "osv" / f"{LODASH}.json").read_text())
    record.update(changes)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(record))
    return str(path)


def lodash_findings():
    from vendorvet.web.supplychain.models import VulnerabilityFinding

    return list(VulnerabilityFinding.objects.filter(advisory_id=LODASH).select_related("sbom"))


def test_new_advisory_hits_stored_sboms_once_per_tenant_and_withdrawal_resolves(
        tmp_path, capsys, tenant_a, tenant_b, admin_a, admin_b, make_integration, osv_without_lodash,
        allow_private, immediate_tasks, receiver, webhook_rule):
    from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent
    from vendorvet.web.supplychain import services

    port, rec = receiver
    webhook_rule(tenant_a, port)
    crm = make_integration(tenant_a, "Acme CRM")
    other = make_integration(tenant_b, "Beta Shop")
    with acting(tenant_a, admin_a):
        old = services.import_sbom(crm, sbom_bytes("app-1.0.cdx.json"), label="1.0")  # lodash 4.17.20
        latest = services.import_sbom(crm, sbom_bytes("app-1.1.cdx.xml"), label="1.1")  # lodash 4.17.20
        assert lodash_findings() == []
    with acting(tenant_b, admin_b):
        services.import_sbom(other, sbom_bytes("app.spdx"), label="7")  # lodash 4.17.21: already fixed
        b_old = services.import_sbom(make_integration(tenant_b, "Beta CRM"), sbom_bytes("app-1.0.cdx.json"),
                                     label="2")

    assert main(["osv", "import", write_record(tmp_path, "new"), "--db", str(osv_without_lodash)]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and "2 new findings, 0 removed, 2 events fired" in out

    with acting(tenant_a, admin_a):
        (finding,) = lodash_findings()
        assert finding.sbom == latest and finding.sbom != old  # only the latest SBOM version of an integration
        assert (finding.severity, finding.first_fixed, finding.aliases) == ("high", "4.17.21", ["CVE-2021-23337"])
        (event,) = MonitoringEvent.objects.all()
        assert (event.kind, event.severity, event.integration, event.state) == (
            "vulnerability_new", "high", crm, "open")
        assert str(event.title) == "Acme CRM: GHSA-35jh-r3h4-6jhm in lodash 4.17.20"
        assert event.after["fixed_versions"] == ["4.17.21"] and event.after["finding"] == finding.pk
        (delivery,) = AlertDelivery.objects.all()
        assert delivery.state == "delivered"
    assert len(rec.succeeded) == 1
    body = json.loads(rec.succeeded[0]["body"])
    assert body["event"]["kind"] == "vulnerability_new" and body["integration"]["name"] == "Acme CRM"
    with acting(tenant_b, admin_b):  # tenant B's own finding and event; never tenant A's
        (b_finding,) = lodash_findings()
        assert b_finding.sbom == b_old
        assert [e.integration.name for e in MonitoringEvent.objects.all()] == ["Beta CRM"]

    # The same data again: nothing changes, nothing alerts.
    assert main(["osv", "import", write_record(tmp_path, "again"), "--db", str(osv_without_lodash)]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    with acting(tenant_a, admin_a):
        assert len(lodash_findings()) == 1 and MonitoringEvent.objects.count() == 1
        assert AlertDelivery.objects.count() == 1 and MonitoringEvent.objects.get().occurrences == 1
    assert len(rec.requests) == 1

    # Withdrawn: the findings go, the events are resolved (no new alert).
    withdrawn = write_record(tmp_path, "withdrawn", modified="2026-06-01T00:00:00Z", withdrawn="2026-06-01T00:00:00Z")
    assert main(["osv", "import", withdrawn, "--db", str(osv_without_lodash)]) == 0
    assert "0 new findings, 2 removed" in capsys.readouterr().out
    with acting(tenant_a, admin_a):
        assert lodash_findings() == [] and MonitoringEvent.objects.get().state == "resolved"
    with acting(tenant_b, admin_b):
        assert lodash_findings() == [] and MonitoringEvent.objects.get().state == "resolved"
    assert len(rec.requests) == 1


def test_modified_advisory_updates_findings_quietly_rematch_command_and_other_databases(
        tmp_path, capsys, tenant_a, admin_a, make_integration, osv_without_lodash, immediate_tasks):
    from vendorvet.web.monitoring.models import MonitoringEvent
    from vendorvet.web.supplychain import services

    crm = make_integration(tenant_a, "Acme CRM")
    with acting(tenant_a, admin_a):
        services.import_sbom(crm, sbom_bytes("app-1.0.cdx.json"), label="1.0")
    # A separate database (``--db`` elsewhere) is not the one stored SBOMs were matched against.
    assert main(["osv", "import", write_record(tmp_path, "new"), "--db", str(tmp_path / "other.sqlite3")]) == 0
    assert "Stored SBOMs" not in capsys.readouterr().out
    assert main(["osv", "import", write_record(tmp_path, "new"), "--db", str(osv_without_lodash),
                 "--no-rematch"]) == 0
    with acting(tenant_a, admin_a):
        assert lodash_findings() == []
    # ``osv rematch`` catches up (e.g. after a re-match that failed): everything is matched again.
    assert main(["osv", "rematch"]) == 0
    assert "1 new findings, 0 removed, 1 events fired" in capsys.readouterr().out
    assert main(["osv", "rematch"]) == 0
    assert "0 new findings, 0 removed, 0 events fired" in capsys.readouterr().out
    # A modified record (new severity, later fix) re-matches: the finding is updated, no second event.
    assert main(["osv", "import", write_record(tmp_path, "v1", modified="2025-01-01T00:00:00Z"),
                 "--db", str(osv_without_lodash)]) == 0
    with acting(tenant_a, admin_a):
        assert len(lodash_findings()) == 1 and MonitoringEvent.objects.count() == 1
    ranges = [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.22"}]}]
    modified = write_record(tmp_path, "v2", modified="2025-02-01T00:00:00Z", severity=[],
                            affected=[{"package": {"ecosystem": "npm", "name": "lodash"}, "ranges": ranges}])
    assert main(["osv", "import", modified, "--db", str(osv_without_lodash)]) == 0
    with acting(tenant_a, admin_a):
        (finding,) = lodash_findings()
        assert (finding.severity, finding.first_fixed, finding.cvss_score) == ("high", "4.17.22", None)
        assert MonitoringEvent.objects.count() == 1 and MonitoringEvent.objects.get().occurrences == 1


def test_many_new_hits_in_one_integration_alert_once_as_a_group(
        tmp_path, capsys, tenant_a, admin_a, make_integration, osv_without_lodash, allow_private, immediate_tasks,
        receiver, webhook_rule):
    """The first import of many advisories must not flood the channel: the single events stay, quietly."""
    from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent
    from vendorvet.web.supplychain import rematch, services

    port, rec = receiver
    webhook_rule(tenant_a, port)
    crm = make_integration(tenant_a, "Acme CRM")
    with acting(tenant_a, admin_a):
        services.import_sbom(crm, sbom_bytes("app-1.0.cdx.json"), label="1.0")  # lodash 4.17.20
    batch = tmp_path / "batch"
    batch.mkdir()
    count = rematch.GROUP_ABOVE + 2
    record = json.loads((FIXTURES / "osv" / f"{LODASH}.json").read_text())
    for n in range(count):
        record.update(id=f"GHSA-test-{n:04d}-xxxx", aliases=[f"CVE-2099-{n:05d}"])
        (batch / f"{n}.json").write_text(json.dumps(record))
    assert main(["osv", "import", str(batch), "--db", str(osv_without_lodash)]) == 0
    assert f"{count} new findings, 0 removed, 1 events fired" in capsys.readouterr().out
    with acting(tenant_a, admin_a):
        singles = MonitoringEvent.objects.filter(dedup_key__startswith="vulnerability:")
        (group,) = MonitoringEvent.objects.filter(dedup_key__startswith="vulnerabilities:")
        assert singles.count() == count and all(e.state == "open" for e in singles)
        assert str(group.title) == f"Acme CRM: {count} newly known vulnerabilities in the SBOM"
        assert group.severity == "high" and group.after["count"] == count
        assert "GHSA-test-0000-xxxx (high) in lodash 4.17.20" in str(group.detail)
        assert AlertDelivery.objects.count() == 1
    assert len(rec.succeeded) == 1
    assert json.loads(rec.succeeded[0]["body"])["event"]["title"] == str(group.title)
