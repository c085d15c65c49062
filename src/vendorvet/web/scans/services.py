"""Starting a scan, running it (the background task's body), storing findings, comparing runs.

Every interface (web, API, CLI) starts scans through :func:`start_scan`, which checks the role;
the task then runs as ``Actor(kind="task", label="scan")`` inside the run's tenant.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from vendorvet import __version__
from vendorvet.web.accounts import roles
from vendorvet.web.core.context import (
    Actor,
    current_actor,
    require_tenant,
    tenant_session,
)
from vendorvet.web.scans.dashboard import summarise
from vendorvet.web.scans.models import Finding, RunStatus, ScanRun, ScanTarget, TenantScanSettings

log = logging.getLogger(__name__)
TASK_ACTOR_LABEL = "scan"
# A run that has been queued or running this long is assumed lost (worker gone) and may be started again.
STALE_AFTER = dt.timedelta(minutes=30)
SETTINGS_PERMISSION = roles.MANAGE_MEMBERS  # tenant administration: the administrators' permission


class ScanRefused(Exception):
    """A scan that cannot be started now (no endpoints, one already queued); the message is for the user."""


# --------------------------------------------------------------------------- tenant settings

def scan_settings() -> TenantScanSettings:
    """The active tenant's scan settings (defaults, unsaved, when none were stored)."""
    found = TenantScanSettings.objects.first()
    return found if found is not None else TenantScanSettings(tenant=require_tenant())


def can_change_settings() -> bool:
    return roles.has_perm(SETTINGS_PERMISSION)


# --------------------------------------------------------------------------- starting

def active_run(integration) -> ScanRun | None:
    """The integration's queued or running scan, if any (a run whose worker is gone is recovered, not active
    forever: see :func:`recover_lost_runs`)."""
    now = timezone.now()
    cutoff = now - STALE_AFTER
    return (ScanRun.objects.filter(integration=integration, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
            .filter(Q(created__gte=cutoff) | Q(queued_at__gte=cutoff) | Q(lease_until__gte=now))
            .order_by("-created").first())


def start_scan(integration) -> ScanRun:
    """Queue a scan of the integration's endpoints (needs ``change``); returns the run.

    With the immediate task backend (tests) the run is finished when this returns.
    """
    roles.require(roles.CHANGE)
    if not integration.endpoints.exists():
        raise ScanRefused(_("This integration has no endpoints to scan. Add its base URLs first."))
    if active_run(integration) is not None:
        raise ScanRefused(_("A scan of this integration is already queued or running."))
    actor = current_actor()
    run = ScanRun(integration=integration, requested_by=getattr(actor, "user", None),
                  requested_by_label=(actor.label if actor else "")[:150], engine_version=__version__,
                  queued_at=timezone.now())
    run.save()
    _enqueue_run(run.pk)
    run.refresh_from_db()
    return run


def _enqueue_run(run_id: int) -> None:
    from vendorvet.web.core import queue

    def remember(result) -> None:
        ScanRun.all_tenants.filter(pk=run_id).update_untracked(task_id=str(result.id)[:64])

    queue.enqueue(scan_integration, run_id, on_enqueued=remember)


# --------------------------------------------------------------------------- running (the task)

def scan_options_from_settings(allow_private: bool = False):
    """Engine options under the operator's outbound policy (``core.outbound``): public addresses and the
    ranges the operator allows; loopback and cloud metadata never. ``allow_private`` is ignored (kept for
    callers): no tenant setting lifts the guard.

    ``settings.VENDORVET_SCAN_OPTIONS`` may set ``timeout``, ``concurrency``, ``nameserver``, ``ca_file``,
    ``plain_http_port``, ``max_addresses`` and ``tls_deadline`` for an installation (e.g. an internal
    resolver or CA).
    """
    from vendorvet.engine.runner import ScanOptions

    conf = dict(getattr(settings, "VENDORVET_SCAN_OPTIONS", {}) or {})
    from vendorvet.web.core import outbound

    options = ScanOptions(**outbound.resolver_options())
    for key in ("timeout", "concurrency", "nameserver", "plain_http_port", "max_addresses", "tls_deadline"):
        if key in conf:
            setattr(options, key, conf[key])
    if conf.get("ca_file"):
        options.ca_file = Path(conf["ca_file"])
    return options


def endpoint_target(url: str) -> tuple[str, str]:
    """The engine target for an endpoint URL, and a note when it had to be adapted."""
    parts = urlsplit(url)
    if parts.scheme == "http":
        netloc = parts.hostname or ""
        if ":" in netloc:
            netloc = f"[{netloc}]"
        if parts.port and parts.port != 80:
            netloc += f":{parts.port}"
        target = f"https://{netloc}{parts.path or '/'}"
        return target, _("The endpoint is recorded as plain HTTP; its HTTPS counterpart %(target)s was scanned.") % {
            "target": target}
    return url, ""


def lease_seconds() -> int:
    return max(1, int(getattr(settings, "VENDORVET_SCAN_LEASE_SECONDS", 120)))


class LeaseLost(Exception):
    """Another worker took the run over (this one was presumed dead): its results are not written."""


def run_scan(run_id: int) -> dict:
    """The task body: claim the run, scan, store the findings. Idempotent per run, safe on many workers.

    The claim is a compare-and-swap (status ``queued`` and the attempt counter read) under a row lock, so two
    workers never both run a scan. The worker renews its lease while scanning; the findings, the run's
    ``done`` and the change events are written in one transaction, fenced by the attempt: a worker that lost
    its lease (presumed dead, the run queued again) writes nothing.
    """
    from vendorvet.web.core.queue import worker_identity

    run = ScanRun.all_tenants.select_related("tenant", "integration").filter(pk=run_id).first()
    if run is None:
        return {"run": run_id, "status": "gone", "skipped": True}
    worker = worker_identity()
    with tenant_session(run.tenant, Actor(kind="task", label=TASK_ACTOR_LABEL)):
        run = _claim(run_id, worker)
        if run.status != RunStatus.RUNNING or run.claimed_by != worker:
            return {"run": run.pk, "status": run.status, "skipped": True}
        attempt = run.attempts
        keeper = _LeaseKeeper(run.pk, worker, attempt)
        keeper.start()
        try:
            scanned = _scan(run)
            count = _store(run, scanned, worker, attempt)
        except LeaseLost:
            return {"run": run.pk, "status": "lease_lost", "skipped": True}
        except Exception as exc:  # recorded on the run; the user sees why
            _fail(run, worker, attempt, f"{type(exc).__name__}: {exc}")
            raise
        finally:
            keeper.stop()
        return {"run": run.pk, "status": run.status, "targets": count}


@task()
def scan_integration(run_id: int) -> dict:
    """The task: scan the endpoints of a queued :class:`~vendorvet.web.scans.models.ScanRun`, store its findings."""
    return run_scan(run_id)


def _claim(run_id: int, worker: str) -> ScanRun:
    """Take a queued run (row lock + status check); returns the run as it is now."""
    from vendorvet.web.core import outbound

    allow_private = outbound.internal_reachable()  # the run records whether the operator allowed internal ranges
    with transaction.atomic():
        run = ScanRun.objects.select_for_update().select_related("integration").get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        now = timezone.now()
        run.status, run.started, run.finished, run.error = RunStatus.RUNNING, now, None, ""
        run.allow_private = allow_private
        run.claimed_by, run.lease_until = worker, now + dt.timedelta(seconds=lease_seconds())
        run.attempts += 1
        run.save()
    return run


def _held(run_id: int, worker: str, attempt: int):
    return ScanRun.all_tenants.filter(pk=run_id, status=RunStatus.RUNNING, claimed_by=worker, attempts=attempt)


class _LeaseKeeper:
    """Renews the lease every third of its length while the scan runs (a thread with its own connection)."""

    def __init__(self, run_id: int, worker: str, attempt: int):
        self.args = (run_id, worker, attempt)
        self.stopped = threading.Event()
        self.lost = False
        self.thread = threading.Thread(target=self._loop, name=f"scan-lease-{run_id}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _loop(self) -> None:
        from django.db import connections

        period = lease_seconds() / 3
        try:
            while not self.stopped.wait(period):
                renewed = _held(*self.args).update_untracked(
                    lease_until=timezone.now() + dt.timedelta(seconds=lease_seconds()))
                if not renewed:
                    self.lost = True
                    return
        except Exception:  # noqa: BLE001 - a missed renewal is what the lease is for
            log.exception("renewing the lease of scan run %s failed", self.args[0])
        finally:
            connections.close_all()  # this thread's connection only

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)


def _fail(run: ScanRun, worker: str, attempt: int, error: str) -> None:
    with transaction.atomic():
        current = ScanRun.objects.select_for_update().filter(pk=run.pk).first()
        if current is None or (current.status, current.claimed_by, current.attempts) != (
                RunStatus.RUNNING, worker, attempt):
            return
        run.status, run.finished, run.error = RunStatus.FAILED, timezone.now(), error[:2000]
        run.lease_until = None
        run.save()


MAX_ATTEMPTS = 3  # a scan whose worker died this often is failed, not queued again (e.g. it kills workers)


def recover_lost_runs(now=None) -> dict:
    """Queue again (all tenants) the runs whose worker is gone: running with an expired lease, or queued
    while the queue has lost their task. Safe to run on many workers at once (compare-and-swap)."""
    now = now or timezone.now()
    report = {"requeued": 0, "failed": 0}
    expired = (ScanRun.all_tenants.filter(status=RunStatus.RUNNING)
               .filter(Q(lease_until__lt=now) | Q(lease_until=None, started__lt=now - STALE_AFTER)))
    for run in expired.only("pk", "tenant_id", "attempts", "lease_until")[:1000]:
        same = ScanRun.all_tenants.filter(pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts,
                                          lease_until=run.lease_until)
        if run.attempts >= MAX_ATTEMPTS:
            message = _("The worker running this scan stopped %(n)d times; the scan was given up.") % {
                "n": run.attempts}
            if same.update_untracked(status=RunStatus.FAILED, finished=now, lease_until=None, error=message):
                report["failed"] += 1
            continue
        if same.update_untracked(status=RunStatus.QUEUED, claimed_by="", lease_until=None, queued_at=now):
            log.warning("scan run %s: its worker stopped renewing the lease; queued again", run.pk)
            _enqueue_run(run.pk)
            report["requeued"] += 1
    waited = now - dt.timedelta(seconds=5 * lease_seconds())
    for run in ScanRun.all_tenants.filter(status=RunStatus.QUEUED, queued_at__lt=waited).only(
            "pk", "task_id", "queued_at")[:1000]:
        if not _task_lost(run.task_id):
            continue
        if ScanRun.all_tenants.filter(pk=run.pk, status=RunStatus.QUEUED, queued_at=run.queued_at).update_untracked(
                queued_at=now):
            log.warning("scan run %s: its queued task is gone; queued again", run.pk)
            _enqueue_run(run.pk)
            report["requeued"] += 1
    return report


def _task_lost(task_id: str) -> bool:
    """The queue no longer holds a runnable task for this id (finished, failed or unknown)."""
    from django_tasks import task_backends
    from django_tasks.exceptions import TaskResultDoesNotExist

    backend = task_backends["default"]
    if not task_id:
        return True
    if not getattr(backend, "supports_get_result", False):
        return False
    try:
        result = backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return True
    except Exception:  # noqa: BLE001 - queue unreachable: not proof of loss
        return False
    return str(result.status) in ("SUCCESSFUL", "FAILED", "TaskResultStatus.SUCCESSFUL",
                                  "TaskResultStatus.FAILED")


def _scan(run: ScanRun) -> list:
    """The network part (no database writes): [(endpoint, target result or None, note)]."""
    from vendorvet.engine.models import TargetError, parse_target
    from vendorvet.engine.runner import scan

    endpoints = list(run.integration.endpoints.order_by("url"))
    targets, out = [], []
    for endpoint in endpoints:
        raw, note = endpoint_target(endpoint.url)
        try:
            targets.append((endpoint, parse_target(raw), note))
        except TargetError as exc:
            out.append((endpoint, None, _("Not scanned: %(reason)s") % {"reason": str(exc)}))
    results = scan([t for _, t, _ in targets], scan_options_from_settings(run.allow_private)) if targets else []
    return [(endpoint, result, note) for (endpoint, _t, note), result in zip(targets, results)] + out


def _store(run: ScanRun, scanned: list, worker: str, attempt: int) -> int:
    """Findings, the run's ``done`` and (post_save hook) its change events: one transaction, fenced."""
    with transaction.atomic():
        current = ScanRun.objects.select_for_update().filter(pk=run.pk).first()
        if current is None or (current.status, current.claimed_by, current.attempts) != (
                RunStatus.RUNNING, worker, attempt):
            raise LeaseLost(run.pk)
        for endpoint, result, note in scanned:
            if result is None:
                ScanTarget(run=run, tenant=run.tenant, endpoint=endpoint, target=endpoint.url, note=note).save()
                continue
            row = ScanTarget(run=run, tenant=run.tenant, endpoint=endpoint, target=endpoint.url,
                             host=result.target.host, port=result.target.port, addresses=list(result.addresses),
                             grade=result.grade or "", score=result.score,
                             deductions=[d.as_dict() for d in result.deductions],
                             duration_seconds=result.duration_seconds, note=note)
            row.save()
            Finding.objects.bulk_create([
                Finding(run=run, scan_target=row, tenant=run.tenant, check_id=f.check_id, status=f.status.value,
                        severity=f.severity.value, title=f.title[:200], detail=f.detail,
                        evidence=_jsonable(f.evidence))
                for f in result.findings
            ])
        summarise(run)  # the dashboard's worst grade and certificate day, read once here
        run.status, run.finished, run.lease_until = RunStatus.DONE, timezone.now(), None
        run.save()
    return len(scanned)


def _jsonable(value):
    import json

    return json.loads(json.dumps(value, default=str))


# --------------------------------------------------------------------------- history

def previous_run(run: ScanRun) -> ScanRun | None:
    return (ScanRun.objects.filter(integration_id=run.integration_id, status=RunStatus.DONE, created__lt=run.created)
            .exclude(pk=run.pk).order_by("-created", "-pk").first())


@dataclass
class Change:
    target: str
    check_id: str
    title: str
    before: str | None  # status in the previous run (None: not there)
    after: str | None
    detail: str = ""


@dataclass
class RunDiff:
    previous: ScanRun | None
    new: list[Change] = field(default_factory=list)
    resolved: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.resolved or self.changed)


def _keyed(run: ScanRun) -> dict[tuple[str, str], Finding]:
    return {(f.scan_target.target, f.check_id): f for f in run.findings.select_related("scan_target")}


def compare(run: ScanRun, previous: ScanRun | None = None) -> RunDiff:
    """What changed since the previous finished run of the same integration.

    *New*: a problem (fail, warn, error) now that was not a problem before (or not checked);
    *resolved*: a problem before that is not one now; *changed*: any other change of status or severity.
    """
    previous = previous if previous is not None else previous_run(run)
    diff = RunDiff(previous=previous)
    if previous is None:
        return diff
    now, before = _keyed(run), _keyed(previous)
    for key in sorted(set(now) | set(before)):
        a, b = before.get(key), now.get(key)
        was = a.is_problem if a else False
        is_ = b.is_problem if b else False
        change = Change(target=key[0], check_id=key[1], title=(b or a).title,
                        before=a.status if a else None, after=b.status if b else None,
                        detail=b.detail if b else "")
        if is_ and not was:
            diff.new.append(change)
        elif was and not is_:
            diff.resolved.append(change)
        elif a and b and (a.status, a.severity) != (b.status, b.severity):
            diff.changed.append(change)
    return diff


def latest_run(integration) -> ScanRun | None:
    return (ScanRun.objects.filter(integration=integration, status=RunStatus.DONE)
            .order_by("-created", "-pk").first())


def latest_findings(integration, check_ids=None) -> list[Finding]:
    """Findings of the integration's latest finished scan, optionally only these check ids.

    For the review: checklist requirements cite check ids (``engine.checklist``), so a requirement is
    answered by the findings of its checks across every scanned endpoint.
    """
    run = latest_run(integration)
    if run is None:
        return []
    qs = Finding.objects.filter(run=run).select_related("scan_target").order_by("scan_target__target", "check_id")
    if check_ids is not None:
        qs = qs.filter(check_id__in=list(check_ids))
    return list(qs)
