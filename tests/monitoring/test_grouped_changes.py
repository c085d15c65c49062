"""Monitoring that people keep reading (issue 13): a first real verdict is a baseline, not a change; the
findings changed by one scan run are one event with the list of changes, alerted once, at the worst severity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import acting
from tests.web.conftest import login  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db]

CHECKS = ("tls.vuln.compression", "http.hsts", "http.csp")


def _runs(tenant, integration, *statuses):
    """Finished runs, oldest first; each a {check id: (status, severity)} of one target."""
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    now, runs = timezone.now(), []
    with acting(tenant):
        for age, findings in zip(range(len(statuses), 0, -1), statuses, strict=True):
            run = ScanRun.objects.create(integration=integration, status="running")
            target = ScanTarget.objects.create(run=run, target="https://api.vendor.test/", host="api.vendor.test")
            for check_id, (status, severity) in findings.items():
                Finding.objects.create(run=run, scan_target=target, check_id=check_id, status=status,
                                       severity=severity, title=f"title of {check_id}", detail="")
            # done without the post_save announcement: each test records the runs itself, in order
            ScanRun.objects.filter(pk=run.pk).update(status="done", created=now - dt.timedelta(hours=age),
                                                     finished=now - dt.timedelta(hours=age))
            runs.append(ScanRun.objects.get(pk=run.pk))
    return runs


def _record(tenant, run):
    from vendorvet.web.scans.changes import record_scan_changes

    with acting(tenant, kind="task"):
        return record_scan_changes(run)


def test_could_not_run_then_a_verdict_is_a_baseline_not_a_change(tenant_a, make_integration):
    from vendorvet.web.monitoring.models import MonitoringEvent

    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    first, second, third = _runs(tenant_a, integration,
                                 {"http.hsts": ("error", "info")},  # the check could not run
                                 {"http.hsts": ("pass", "info"), "http.csp": ("fail", "medium")},  # first verdicts
                                 {"http.hsts": ("pass", "info"), "http.csp": ("fail", "medium")})
    assert _record(tenant_a, first) == []  # the first scan of an integration is a baseline
    assert _record(tenant_a, second) == []  # error → pass and not checked → fail: first verdicts
    assert _record(tenant_a, third) == []
    assert MonitoringEvent.all_tenants.count() == 0


def test_a_real_change_after_the_baseline_is_still_reported(tenant_a, make_integration):
    from vendorvet.web.monitoring.models import MonitoringEvent

    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    runs = _runs(tenant_a, integration, {"http.hsts": ("error", "info")}, {"http.hsts": ("pass", "info")},
                 {"http.hsts": ("fail", "medium")})
    for run in runs:
        _record(tenant_a, run)
    [event] = MonitoringEvent.all_tenants.all()
    assert (event.kind, event.run_id, event.severity) == ("scan_changes", runs[2].pk, "medium")
    assert event.title == "Vendor API: title of http.hsts"


def test_one_run_with_three_changes_is_one_event_with_a_readable_list(tenant_a, admin_a, make_integration,
                                                                     receiver, webhook_rule, immediate_tasks,
                                                                     allow_private,
                                                                     login):  # noqa: F811
    from django.utils import translation

    from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent

    port, rec = receiver
    webhook_rule(tenant_a, port, kinds=["scan_changes"])
    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    before, after = _runs(tenant_a, integration,
                          {"tls.vuln.compression": ("pass", "high"), "http.hsts": ("fail", "medium"),
                           "http.csp": ("warn", "low")},
                          {"tls.vuln.compression": ("fail", "high"), "http.hsts": ("pass", "info"),
                           "http.csp": ("fail", "medium")})
    _record(tenant_a, before)
    recorded = _record(tenant_a, after)
    assert len(recorded) == 1 and recorded[0].fired
    [event] = MonitoringEvent.all_tenants.all()
    assert event.kind == "scan_changes" and event.severity == "high"  # the worst change
    assert event.title == "Vendor API: 3 findings changed"
    assert sorted((c["change"], c["check"]) for c in event.after["changes"]) == [
        ("changed", "http.csp"), ("new", "tls.vuln.compression"), ("resolved", "http.hsts")]
    assert AlertDelivery.all_tenants.count() == 1 and len(rec.requests) == 1  # alerted once per run
    assert _record(tenant_a, after)[0].fired is False  # idempotent per run
    assert MonitoringEvent.all_tenants.count() == 1 and len(rec.requests) == 1

    page = login(admin_a, HTTP_ACCEPT_LANGUAGE="en").get(f"/monitoring/events/{event.pk}/").content.decode()
    assert "passed → failed" in page and "failed → passed" in page and "warning → failed" in page
    assert "{&#x27;" not in page and "{'" not in page  # no raw dicts
    german = login(admin_a, HTTP_ACCEPT_LANGUAGE="de").get(f"/monitoring/events/{event.pk}/").content.decode()
    assert "3 Befunde geändert" in german and "bestanden → fehlgeschlagen" in german
    with translation.override("de"):
        assert event.shown_title == "Vendor API: 3 Befunde geändert"


def test_the_grouped_event_resolves_when_its_problems_are_gone(tenant_a, make_integration):
    from vendorvet.web.monitoring.models import MonitoringEvent

    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    runs = _runs(tenant_a, integration, {"http.hsts": ("pass", "info"), "http.csp": ("pass", "info")},
                 {"http.hsts": ("fail", "medium"), "http.csp": ("fail", "medium")},
                 {"http.hsts": ("pass", "info"), "http.csp": ("fail", "medium")},
                 {"http.hsts": ("pass", "info"), "http.csp": ("pass", "info")})
    for run in runs[:3]:
        _record(tenant_a, run)
    grouped = MonitoringEvent.all_tenants.get(run=runs[1])
    assert grouped.state == "open"  # one of its two problems is still found
    _record(tenant_a, runs[3])
    grouped.refresh_from_db()
    assert grouped.state == "resolved"
