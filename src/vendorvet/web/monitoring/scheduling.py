"""The re-scan schedule and the monitoring tick.

The due state lives in the database (:class:`ScanSchedule.next_due`), so a scheduler that restarts
loses nothing. A due slot is claimed with a compare-and-swap update (``next_due`` still equal to the value
read): of two ticks running at once exactly one wins the slot and enqueues the scan.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django_tasks import task

from vendorvet.web.core import events as core_events
from vendorvet.web.core import queue
from vendorvet.web.core.context import tenant_session
from vendorvet.web.core.events import installation_language, task_actor
from vendorvet.web.core.registry import registry
from vendorvet.web.monitoring import alerts, events
from vendorvet.web.monitoring.conf import config
from vendorvet.web.monitoring.models import MonitoringSettings, ScanSchedule

log = logging.getLogger(__name__)
TASK_ACTOR = core_events.TASK_ACTOR


def monitor_actor():
    # the scheduler starts scans and records events on the tenant's behalf (role check: change)
    return task_actor()


def monitoring_settings() -> MonitoringSettings:
    from vendorvet.web.core.context import require_tenant

    found = MonitoringSettings.objects.first()
    return found if found is not None else MonitoringSettings(tenant=require_tenant())


def cadence_days(tier: int, current: MonitoringSettings | None = None) -> int:
    current = current or monitoring_settings()
    override = getattr(current, f"cadence_tier{tier}", None)
    if override:
        return int(override)
    return int(config()["cadence_days"][tier])


@dataclass
class TickReport:
    tenants: int = 0
    scans_enqueued: int = 0
    scans_skipped: int = 0
    runs_processed: int = 0
    events_fired: int = 0
    events_seen: int = 0
    retried: int = 0
    digests: int = 0
    runs_requeued: int = 0  # scans whose worker died (lease expired) queued again
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(vars(self))


def tick(now=None, tenants=None) -> TickReport:
    """One pass over every (or the given) tenant: due scans, changes of finished runs, calendar, alerts."""
    from vendorvet.web.accounts.models import Tenant

    now = now or timezone.now()
    report = TickReport()
    if tenants is None:  # the whole installation: work (scans) whose worker died is queued again
        recovered = queue.recover_lost_work()
        report.runs_requeued = queue.requeued(recovered)
        report.errors += [f"{key}: {r['error']}" for key, r in recovered.items()
                          if isinstance(r, dict) and "error" in r]
        prune = registry.hooks.get("maintenance.audit_prune")  # the audit log's retention period
        if prune is not None:
            try:
                prune()
            except Exception as exc:
                log.exception("pruning the audit log failed")
                report.errors.append(f"audit prune: {type(exc).__name__}: {exc}")
    for tenant in (tenants if tenants is not None else Tenant.objects.all()):
        report.tenants += 1
        with tenant_session(tenant, monitor_actor()), installation_language():
            for step in (_process_finished_runs, _enqueue_due_scans, _sweep, _alerts, _periodic):
                try:
                    step(report, now)
                except Exception as exc:  # one tenant's failure must not stop the others
                    log.exception("monitoring %s failed for tenant %s", step.__name__, tenant.slug)
                    report.errors.append(f"{tenant.slug}: {step.__name__}: {type(exc).__name__}: {exc}")
    return report


def _periodic(report: TickReport, now) -> None:
    """The apps' per-tenant periodic hooks (``registry.periodic_hooks``), e.g. the dashboard's weekly snapshot, and
    — while the tenant's scheduled monitoring is on — their scheduled checks of vendors' servers
    (``registry.scheduled_checks``, e.g. watched pages)."""
    hooks = list(registry.periodic_hooks.items())
    if monitoring_settings().enabled:
        hooks += list(registry.scheduled_checks.items())
    for key, hook in hooks:
        try:
            hook(now)
        except Exception as exc:
            log.exception("periodic hook %s failed", key)
            report.errors.append(f"{key}: {type(exc).__name__}: {exc}")


@task()
def monitoring_tick() -> dict:
    """The task: enqueue due re-scans, record changes and calendar facts, retry alerts, send digests (all tenants)."""
    return tick().as_dict()


def _enqueue_due_scans(report: TickReport, now) -> None:
    from vendorvet.web.inventory.models import Integration

    current = monitoring_settings()
    start_scan = core_events.hook(core_events.HOOK_START_SCAN)
    if not current.enabled or start_scan is None:
        return
    integrations = (Integration.objects.filter(endpoints__isnull=False).exclude(status__in=["rejected", "retired"])
                    .distinct())
    schedules = {s.integration_id: s for s in ScanSchedule.objects.all()}
    for integration in integrations:
        schedule = schedules.get(integration.pk)
        if schedule is None:
            schedule = _new_schedule(integration, now)
        cadence = dt.timedelta(days=cadence_days(integration.tier, current))
        due = schedule.next_due
        if schedule.last_enqueued is not None:  # a tier raised since the last scan shortens the wait
            due = min(due, schedule.last_enqueued + cadence)
        if due > now:
            continue
        following = now + cadence
        won = (ScanSchedule.objects.filter(pk=schedule.pk, next_due=schedule.next_due)
               .update(next_due=following, last_enqueued=now))
        if not won:  # another tick claimed this slot
            report.scans_skipped += 1
            continue
        if not start_scan(integration):
            report.scans_skipped += 1  # one is queued or running already; it counts for this slot
            continue
        report.scans_enqueued += 1


def _new_schedule(integration, now) -> ScanSchedule:
    """First sight of an integration: due now unless it was scanned within its cadence."""
    from django.db import IntegrityError, transaction

    last_scanned = core_events.hook(core_events.HOOK_LAST_SCANNED, lambda integration: None)(integration)
    due = now
    if last_scanned is not None:
        due = last_scanned + dt.timedelta(days=cadence_days(integration.tier))
    try:
        with transaction.atomic():
            schedule = ScanSchedule(integration=integration, next_due=due)
            schedule.save()
    except IntegrityError:
        schedule = ScanSchedule.objects.get(integration=integration)
    return schedule


def record_run(run) -> list:
    """Record the changes of a finished run (once; called after each scan and as catch-up by the tick).

    The scans app records them (its hook); monitoring remembers which run of the integration it has seen."""
    record_changes = core_events.hook(core_events.HOOK_RECORD_SCAN_CHANGES)
    recorded = record_changes(run) if record_changes is not None else []
    if not ScanSchedule.objects.filter(integration_id=run.integration_id).update(last_run_id=run.pk):
        schedule = _new_schedule(run.integration, timezone.now())
        ScanSchedule.objects.filter(pk=schedule.pk).update(last_run_id=run.pk)
    return recorded


def _process_finished_runs(report: TickReport, now) -> None:
    """Catch-up: runs finished since the last tick whose changes were not recorded (e.g. the hook failed)."""
    latest_done_runs = core_events.hook(core_events.HOOK_LATEST_DONE_RUNS)
    if latest_done_runs is None:
        return
    processed = dict(ScanSchedule.objects.values_list("integration_id", "last_run_id"))
    for integration_id, run_id in latest_done_runs().items():
        if processed.get(integration_id) == run_id:
            continue
        recorded = record_run(_FinishedRun(run_id, integration_id))
        report.runs_processed += 1
        report.events_fired += sum(r.fired for r in recorded)
        report.events_seen += len(recorded)


@dataclass
class _FinishedRun:
    """A finished scan run as monitoring knows it: its id and its integration's (the scans app loads it)."""

    pk: int
    integration_id: int

    @property
    def integration(self):
        from vendorvet.web.inventory.models import Integration

        return Integration.objects.get(pk=self.integration_id)


def _sweep(report: TickReport, now) -> None:
    from vendorvet.web.monitoring.services import wake_snoozed

    wake_snoozed(now)
    recorded = events.sweep_calendar(today=timezone.localdate(now), now=now)
    report.events_fired += sum(r.fired for r in recorded)
    report.events_seen += len(recorded)


def _alerts(report: TickReport, now) -> None:
    report.retried += alerts.retry_due(now)
    report.digests += alerts.send_digests(now)


def on_scan_finished(sender, run, **kwargs) -> None:
    """Receiver of ``core.events.scan_finished`` (sent by the scans app): record the changes of a done run."""
    try:
        from django.db import transaction

        with transaction.atomic(), installation_language():
            record_run(run)
    except Exception:  # the tick's catch-up records it later; the scan itself must not fail
        log.exception("recording the changes of scan run %s failed", run.pk)
