"""The scan lease: claimed once, fenced writes, runs of dead workers queued again (in one process; the
multi-process test with real workers and Redis is tests/monitoring/test_workers_redis.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import acting

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]

@pytest.fixture
def queued_run(tenant_a, assessor_a, make_integration, queued_only):
    from vendorvet.web.inventory.models import Endpoint
    from vendorvet.web.scans import services

    integration = make_integration(tenant_a, name="Vendor API", kind="api")
    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url="https://api.vendor.test/v1")
    with acting(tenant_a, assessor_a, role="assessor"):
        run = services.start_scan(integration)
    assert run.status == "queued" and run.queued_at and len(queued_only.results) == 1
    return run


def scan_run(pk):
    from vendorvet.web.scans.models import ScanRun

    return ScanRun.all_tenants.get(pk=pk)


def test_a_run_is_claimed_once_and_a_second_delivery_of_the_task_is_skipped(tenant_a, queued_run):
    from vendorvet.web.scans import services

    with acting(tenant_a, kind="task"):
        claimed = services._claim(queued_run.pk, "host:1:aaa")
        again = services._claim(queued_run.pk, "host:2:bbb")
    assert (claimed.status, claimed.claimed_by, claimed.attempts) == ("running", "host:1:aaa", 1)
    assert claimed.lease_until > timezone.now()
    assert (again.status, again.claimed_by, again.attempts) == ("running", "host:1:aaa", 1)  # untouched
    # the task itself (say RQ retried it) finds the run taken and does nothing
    assert services.run_scan(queued_run.pk) == {"run": queued_run.pk, "status": "running", "skipped": True}
    assert scan_run(queued_run.pk).claimed_by == "host:1:aaa"
    assert services.run_scan(999999) == {"run": 999999, "status": "gone", "skipped": True}


def test_a_worker_that_lost_its_lease_writes_nothing(tenant_a, queued_run):
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    with acting(tenant_a, kind="task"):
        run = services._claim(queued_run.pk, "host:1:aaa")
    # presumed dead: the run was queued again and another worker holds it now
    ScanRun.all_tenants.filter(pk=run.pk).update_untracked(claimed_by="host:2:bbb", attempts=2)
    with acting(tenant_a, kind="task"), pytest.raises(services.LeaseLost):
        services._store(run, [(run.integration.endpoints.get(), None, "not scanned")], "host:1:aaa", 1)
    assert ScanTarget.all_tenants.count() == 0 and Finding.all_tenants.count() == 0
    with acting(tenant_a, kind="task"):
        services._fail(run, "host:1:aaa", 1, "boom")  # nor may it fail the other worker's run
    assert (scan_run(run.pk).status, scan_run(run.pk).error) == ("running", "")


def test_expired_leases_are_queued_again_then_given_up(tenant_a, queued_run, queued_only):
    from vendorvet.web.monitoring.scheduling import tick
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import ScanRun

    with acting(tenant_a, kind="task"):
        services._claim(queued_run.pk, "host:1:aaa")
    assert services.recover_lost_runs() == {"requeued": 0, "failed": 0}  # the lease is still valid

    later = timezone.now() + dt.timedelta(seconds=services.lease_seconds() + 1)
    assert services.recover_lost_runs(now=later) == {"requeued": 1, "failed": 0}
    run = scan_run(queued_run.pk)
    assert (run.status, run.claimed_by, run.lease_until, run.attempts) == ("queued", "", None, 1)
    assert len(queued_only.results) == 2 and queued_only.results[-1].args == [run.pk]
    assert run.task_id == str(queued_only.results[-1].id)
    assert services.recover_lost_runs(now=later) == {"requeued": 0, "failed": 0}  # once

    # the monitoring tick does the same for the whole installation
    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        with acting(tenant_a, kind="task"):
            assert services._claim(run.pk, f"host:{attempt}:ccc").attempts == attempt
        ScanRun.all_tenants.filter(pk=run.pk).update_untracked(lease_until=timezone.now() - dt.timedelta(seconds=1))
        report = tick()
        if attempt < services.MAX_ATTEMPTS:
            assert report.runs_requeued == 1 and scan_run(run.pk).status == "queued"
    run = scan_run(run.pk)
    assert report.runs_requeued == 0 and run.status == "failed" and "stopped 3 times" in run.error
    assert len(queued_only.results) == 3  # never queued after giving up


def test_a_queued_run_whose_task_the_queue_lost_is_queued_again(tenant_a, queued_run, queued_only):
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import ScanRun

    long_ago = timezone.now() - dt.timedelta(hours=1)
    ScanRun.all_tenants.filter(pk=queued_run.pk).update_untracked(queued_at=long_ago)
    assert services.recover_lost_runs() == {"requeued": 0, "failed": 0}  # the dummy queue may still hold it
    ScanRun.all_tenants.filter(pk=queued_run.pk).update_untracked(task_id="")  # never reached the queue
    assert services.recover_lost_runs() == {"requeued": 1, "failed": 0}
    assert scan_run(queued_run.pk).queued_at > long_ago and len(queued_only.results) == 2


def test_a_stale_queued_run_no_longer_blocks_a_new_scan_but_a_live_lease_does(tenant_a, queued_run):
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import ScanRun

    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    ScanRun.all_tenants.filter(pk=queued_run.pk).update_untracked(created=long_ago, queued_at=long_ago)
    with acting(tenant_a):
        assert services.active_run(queued_run.integration) is None  # stale: a new scan may start
        ScanRun.all_tenants.filter(pk=queued_run.pk).update_untracked(status="running",
                                                            lease_until=timezone.now() + dt.timedelta(seconds=60))
        assert services.active_run(queued_run.integration).pk == queued_run.pk  # a live lease keeps it active
