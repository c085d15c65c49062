"""Re-scan cadence by tier, due state in the database, and no scan enqueued twice for one slot."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import connections
from django.utils import timezone

from tests.conftest import acting

@pytest.fixture
def fleet(tenant_a, make_integration):
    from vendorvet.web.inventory.models import Endpoint

    made = []
    for n, categories in enumerate([["credentials"], [], []]):
        integration = make_integration(tenant_a, name=f"App {n}", data_categories=categories,
                                       access_scope="admin" if categories else "")
        with acting(tenant_a):
            Endpoint.objects.create(integration=integration, url=f"https://app{n}.vendor.test/")
        made.append(integration)
    make_integration(tenant_a, name="No endpoints")
    return made


def runs(tenant):
    from vendorvet.web.scans.models import ScanRun

    return ScanRun.all_tenants.filter(tenant=tenant)


@pytest.mark.django_db
def test_tick_enqueues_due_scans_once_and_again_after_the_cadence(tenant_a, fleet, queued_only):
    from vendorvet.web.monitoring.models import ScanSchedule
    from vendorvet.web.monitoring.scheduling import tick

    critical = fleet[0]
    assert critical.tier == 1 and fleet[1].tier == 4
    now = timezone.now()
    report = tick(now=now)
    assert report.errors == [] and report.scans_enqueued == 3
    assert runs(tenant_a).count() == 3 and len(queued_only.results) == 3
    assert {r.requested_by_label for r in runs(tenant_a)} == {"monitor"}
    schedules = {s.integration_id: s.next_due for s in ScanSchedule.all_tenants.all()}
    assert schedules[critical.pk] == now + dt.timedelta(days=1)
    assert schedules[fleet[1].pk] == now + dt.timedelta(days=30)

    assert tick(now=now + dt.timedelta(hours=1)).scans_enqueued == 0  # nothing due
    runs(tenant_a).update_untracked(status="done", finished=now)
    later = tick(now=now + dt.timedelta(days=1, minutes=1))
    assert later.scans_enqueued == 1  # only the tier-1 integration is due again
    assert runs(tenant_a).filter(integration=critical).count() == 2

    raised = fleet[1]  # now holds admin credentials: tier 1, so its 30-day wait shrinks to a day
    with acting(tenant_a):
        raised.data_categories, raised.access_scope = ["credentials"], "admin"
        raised.save()
    assert raised.tier == 1
    runs(tenant_a).update_untracked(status="done", finished=now)
    assert tick(now=now + dt.timedelta(days=1, minutes=2)).scans_enqueued == 1
    assert runs(tenant_a).filter(integration=raised).count() == 2


@pytest.mark.django_db
def test_cadence_comes_from_content_and_tenant_settings(tenant_a, admin_a, fleet, queued_only):
    from vendorvet.web.monitoring import services
    from vendorvet.web.monitoring.models import MonitoringSettings
    from vendorvet.web.monitoring.scheduling import cadence_days, tick

    with acting(tenant_a, admin_a):
        assert [cadence_days(t) for t in (1, 2, 3, 4)] == [1, 7, 14, 30]
        services.save_settings(MonitoringSettings(cadence_tier4=3))
        assert cadence_days(4) == 3 and cadence_days(1) == 1
    with acting(tenant_a, admin_a, role="assessor"):
        from vendorvet.web.core.context import PermissionDeniedError

        with pytest.raises(PermissionDeniedError):
            services.save_settings(MonitoringSettings.objects.get())
    with acting(tenant_a, admin_a):
        current = MonitoringSettings.objects.get()
        current.enabled = False
        services.save_settings(current)
    assert tick().scans_enqueued == 0 and runs(tenant_a).count() == 0


@pytest.mark.django_db
def test_a_lost_claim_is_skipped(tenant_a, fleet, queued_only):
    """Two schedulers read the same due slot; the second one's compare-and-swap finds it taken."""
    from vendorvet.web.monitoring import scheduling
    from vendorvet.web.monitoring.models import ScanSchedule

    now = timezone.now()
    scheduling.tick(now=now)
    ScanSchedule.all_tenants.update(next_due=now)  # all due again
    runs(tenant_a).update_untracked(status="done", finished=now)
    stale = {s.integration_id: s for s in ScanSchedule.all_tenants.all()}  # what a second scheduler had read
    scheduling.tick(now=now + dt.timedelta(seconds=1))  # the first scheduler claims every slot
    from vendorvet.web.core.context import tenant_session

    with tenant_session(tenant_a, scheduling.monitor_actor()):
        for integration_id, schedule in stale.items():
            won = ScanSchedule.objects.filter(pk=schedule.pk, next_due=schedule.next_due).update(next_due=now)
            assert won == 0, "the slot read before the first scheduler claimed it must be lost"
    assert runs(tenant_a).count() == 6  # 3 + 3, no extra scan


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="concurrent schedulers need a database with concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_enqueue_each_scan_once(tenant_a, fleet, queued_only):
    from vendorvet.web.monitoring.scheduling import tick

    now = timezone.now()
    barrier, reports = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            reports.append(tick(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r.scans_enqueued for r in reports) == 3
    assert runs(tenant_a).count() == 3
