"""Scan now → background task → stored findings with history, against real loopback servers."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from tests.engine.conftest import HOST
from vendorvet.web.core.context import Actor, tenant_session
from vendorvet.web.core.models import ObjectChange

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def start(tenant, user, integration, role="assessor"):
    from vendorvet.web.scans import services

    with tenant_session(tenant, Actor(kind="user", label=user.get_username(), user=user, role=role)):
        return services.start_scan(integration)


def findings_of(run):
    from vendorvet.web.scans.models import Finding

    return {f.check_id: f for f in Finding.all_tenants.filter(run=run)}


def test_scan_stores_one_finding_per_check_with_grade(tenant_a, assessor_a, scan_settings, allow_private,
                                                      scanned_integration, vendor_site):
    from vendorvet.engine import registry
    from vendorvet.web.scans.models import ScanRun, ScanTarget

    run = start(tenant_a, assessor_a, scanned_integration)
    assert run.status == "done", run.error
    assert run.requested_by == assessor_a and run.requested_by_label == "arne.assessor"
    assert run.allow_private is True and run.engine_version
    assert run.started and run.finished and run.started <= run.finished
    [target] = ScanTarget.all_tenants.filter(run=run)
    assert (target.host, target.port, target.addresses) == (HOST, vendor_site[0], ["127.0.0.1"])
    assert target.grade in ("A", "B") and 60 <= target.score <= 100
    assert target.deductions and all("reason" in d for d in target.deductions)
    found = findings_of(run)
    assert set(found) == set(registry.all_checks())  # one row per check for the target
    assert found["tls.protocol.tls13"].status == "pass"
    assert found["tls.cert.trust"].status == "pass"
    assert found["http.hsts"].status == "pass"
    assert found["dns.dmarc"].status == "pass"
    assert found["disclosure.security_txt"].status == "fail"
    assert found["location.country"].status == "not_applicable"  # loopback has no country
    assert all(f.tenant_id == tenant_a.pk for f in found.values())
    stored = ScanRun.all_tenants.get(pk=run.pk)
    assert stored.status == "done"
    # the run's summary for the dashboard: its worst grade and the day the leaf certificate ends
    assert stored.worst_grade == target.grade
    not_after = found.get("tls.cert.expiring") or found.get("tls.cert.expired")
    assert stored.cert_day == str(not_after.evidence["not_after"])[:10] and len(stored.cert_day) == 10


def test_without_the_tenant_setting_a_loopback_endpoint_is_refused(tenant_a, assessor_a, scan_settings,
                                                                     scanned_integration, vendor_site):
    from vendorvet.web.scans.models import ScanTarget

    port, site = vendor_site
    run = start(tenant_a, assessor_a, scanned_integration)
    assert run.status == "done" and run.allow_private is False
    found = findings_of(run)
    connecting = [f for cid, f in found.items() if not cid.startswith("dns.")]
    assert len(connecting) >= 20
    assert {f.status for f in connecting} == {"error"}
    assert all(f.evidence["reason"] == "refused_by_policy" and "127.0.0.1 is loopback" in f.detail
               for f in connecting)
    assert site.seen == []  # the vendor server never saw a request
    target = ScanTarget.all_tenants.get(run=run)
    assert target.grade == "" and target.score is None
    # nothing graded, no certificate seen: the summary says so ("-", ""), never a grade
    from vendorvet.web.scans.models import ScanRun

    assert (ScanRun.all_tenants.get(pk=run.pk).worst_grade, ScanRun.all_tenants.get(pk=run.pk).cert_day) == ("-", "")


def test_the_task_is_the_actor_of_its_writes(tenant_a, assessor_a, scan_settings, allow_private,
                                             scanned_integration):
    from django.contrib.contenttypes.models import ContentType

    from vendorvet.web.scans.models import ScanRun

    run = start(tenant_a, assessor_a, scanned_integration)
    changes = ObjectChange.all_tenants.filter(changed_object_type=ContentType.objects.get_for_model(ScanRun),
                                              changed_object_id=run.pk).order_by("time", "pk")
    assert [(c.action, c.actor_kind, c.actor_label) for c in changes] == [
        ("create", "user", "arne.assessor"), ("update", "task", "scan"), ("update", "task", "scan")]
    assert changes.last().postchange_data["status"] == "done"
    assert all(c.related_object_id == scanned_integration.pk for c in changes)  # in the integration's history


def test_history_diff_new_resolved_changed(tenant_a, assessor_a, scan_settings, allow_private,
                                           scanned_integration, vendor_site):
    from vendorvet.web.scans import services

    port, site = vendor_site
    site.default = (200, [("Content-Type", "application/json")], b"{}")  # no HSTS
    first = start(tenant_a, assessor_a, scanned_integration)
    assert findings_of(first)["http.hsts"].status == "fail"
    site.default = (200, [("Strict-Transport-Security", "max-age=600"), ("Content-Type", "application/json"),
                          ("Deprecation", "@1700000000")], b"{}")
    second = start(tenant_a, assessor_a, scanned_integration)
    with acting(tenant_a):
        diff = services.compare(second)
        assert diff.previous == first
        new = {c.check_id for c in diff.new}
        changed = {c.check_id: (c.before, c.after) for c in diff.changed}
        assert "api.lifecycle.deprecation" in new
        assert changed["http.hsts"] == ("fail", "warn")  # short max-age: still a problem, another status
        site.default = (200, [("Strict-Transport-Security", "max-age=31536000"),
                              ("Content-Type", "application/json")], b"{}")
        third = start(tenant_a, assessor_a, scanned_integration)
        diff = services.compare(third)
        assert diff.previous == second
        resolved = {c.check_id: (c.before, c.after) for c in diff.resolved}
        assert resolved["http.hsts"] == ("warn", "pass")
        assert resolved["api.lifecycle.deprecation"][0] == "warn"
        assert services.compare(first).previous is None


def test_a_second_scan_is_refused_while_one_is_queued(tenant_a, assessor_a, scan_settings, scanned_integration):
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import ScanRun

    with acting(tenant_a):
        ScanRun.objects.create(integration=scanned_integration)
    with pytest.raises(services.ScanRefused, match="already queued"):
        start(tenant_a, assessor_a, scanned_integration)


def test_no_endpoints_no_scan(tenant_a, assessor_a, make_integration, scan_settings):
    from vendorvet.web.scans import services

    bare = make_integration(tenant_a, name="No endpoints")
    with pytest.raises(services.ScanRefused, match="no endpoints"):
        start(tenant_a, assessor_a, bare)


def test_auditor_may_not_start_a_scan(tenant_a, auditor_a, scan_settings, scanned_integration):
    from vendorvet.web.core.context import PermissionDeniedError
    from vendorvet.web.scans.models import ScanRun

    with pytest.raises(PermissionDeniedError):
        start(tenant_a, auditor_a, scanned_integration, role="auditor")
    assert not ScanRun.all_tenants.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection after each task
def test_database_backend_queues_and_the_worker_runs_it(tenant_a, assessor_a, scan_settings, allow_private,
                                                        scanned_integration, settings):
    """The production path: the database task backend queues, ``db_worker`` picks the task up."""
    from django.core.management import call_command
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from vendorvet.web.scans.models import ScanRun

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        run = start(tenant_a, assessor_a, scanned_integration)
        assert run.status == "queued" and run.task_id
        task = DBTaskResult.objects.get(id=run.task_id)
        assert task.args_kwargs["args"] == [run.pk]
        call_command("db_worker", "--batch", "--no-startup-delay")
    run = ScanRun.all_tenants.get(pk=run.pk)
    assert run.status == "done", run.error
    assert findings_of(run)["tls.protocol.tls13"].status == "pass"


def test_plain_http_endpoint_is_scanned_over_https(tenant_a, assessor_a, scan_settings, allow_private,
                                                   make_integration, vendor_site):
    from vendorvet.web.inventory.models import Endpoint

    port, _site = vendor_site
    integration = make_integration(tenant_a, name="Legacy URL")
    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url=f"http://{HOST}:{port}/x")
    from vendorvet.web.scans.models import ScanTarget

    run = start(tenant_a, assessor_a, integration)
    target = ScanTarget.all_tenants.get(run=run)
    assert f"https://{HOST}:{port}/x" in target.note
    assert findings_of(run)["tls.protocol.tls13"].status == "pass"


def test_latest_findings_answer_check_ids_for_the_review(tenant_a, assessor_a, scan_settings, allow_private,
                                                         scanned_integration):
    from vendorvet.engine import checklist
    from vendorvet.web.scans import services

    with acting(tenant_a):
        assert services.latest_findings(scanned_integration) == []
    start(tenant_a, assessor_a, scanned_integration)
    cited = {cid for r in checklist.load_checklist().requirements for cid in r.check_ids}
    with acting(tenant_a):
        found = services.latest_findings(scanned_integration, cited)
        assert found and {f.check_id for f in found} <= cited
        assert "tls.protocol.tls13" in {f.check_id for f in found}
