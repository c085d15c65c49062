"""Starting a scan, running it (the background task's body), storing findings, comparing runs.

Every interface (web, API, CLI) starts scans through :func:`start_scan`, which checks the role;
the task then runs as ``Actor(kind="task", label="scan")`` inside the run's tenant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendorvet import __version__
from vendorvet.web.accounts import roles
from vendorvet.web.core.context import (
    Actor,
    current_actor,
    require_tenant,
    tenant_session,
)
from vendorvet.web.scans.models import Finding, RunStatus, ScanRun, ScanTarget, TenantScanSettings

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


def save_scan_settings(*, allow_private_targets: bool) -> TenantScanSettings:
    roles.require(SETTINGS_PERMISSION)
    obj = scan_settings()
    obj.allow_private_targets = bool(allow_private_targets)
    obj.full_clean(validate_unique=False)
    obj.save()
    return obj


def can_change_settings() -> bool:
    return roles.has_perm(SETTINGS_PERMISSION)


# --------------------------------------------------------------------------- starting

def active_run(integration) -> ScanRun | None:
    cutoff = timezone.now() - STALE_AFTER
    return (ScanRun.objects.filter(integration=integration, status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
                                   created__gte=cutoff).order_by("-created").first())


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
                  requested_by_label=(actor.label if actor else "")[:150], engine_version=__version__)
    run.save()
    from vendorvet.web.scans.tasks import scan_integration

    result = scan_integration.enqueue(run.pk)
    ScanRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


# --------------------------------------------------------------------------- running (the task)

def scan_options_from_settings(allow_private: bool):
    """Engine options: SSRF guard on unless the tenant allows internal targets.

    ``settings.VENDORVET_SCAN_OPTIONS`` may set ``timeout``, ``concurrency``, ``nameserver``, ``ca_file``
    and ``plain_http_port`` for an installation (e.g. an internal resolver or CA).
    """
    from vendorvet.engine.runner import ScanOptions

    conf = dict(getattr(settings, "VENDORVET_SCAN_OPTIONS", {}) or {})
    options = ScanOptions(allow_private=allow_private)
    for key in ("timeout", "concurrency", "nameserver", "plain_http_port"):
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


def run_scan(run_id: int) -> dict:
    """The task body: scan the run's integration and store its findings. Idempotent per run."""
    run = ScanRun.all_tenants.select_related("tenant", "integration").get(pk=run_id)
    with tenant_session(run.tenant, Actor(kind="task", label=TASK_ACTOR_LABEL)):
        if run.status != RunStatus.QUEUED:
            return {"run": run.pk, "status": run.status, "skipped": True}
        run.allow_private = scan_settings().allow_private_targets
        run.status, run.started = RunStatus.RUNNING, timezone.now()
        run.save()
        try:
            count = _scan_and_store(run)
        except Exception as exc:  # recorded on the run; the user sees why
            run.status, run.finished = RunStatus.FAILED, timezone.now()
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.save()
            raise
        run.status, run.finished = RunStatus.DONE, timezone.now()
        run.save()
        return {"run": run.pk, "status": run.status, "targets": count}


def _scan_and_store(run: ScanRun) -> int:
    from vendorvet.engine.models import TargetError, parse_target
    from vendorvet.engine.runner import scan

    endpoints = list(run.integration.endpoints.order_by("url"))
    targets, invalid = [], []
    for endpoint in endpoints:
        raw, note = endpoint_target(endpoint.url)
        try:
            targets.append((endpoint, parse_target(raw), note))
        except TargetError as exc:
            invalid.append((endpoint, raw, str(exc)))
    results = scan([t for _, t, _ in targets], scan_options_from_settings(run.allow_private)) if targets else []
    with transaction.atomic():
        for (endpoint, _target, note), result in zip(targets, results):
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
        for endpoint, raw, reason in invalid:
            ScanTarget(run=run, tenant=run.tenant, endpoint=endpoint, target=endpoint.url,
                       note=_("Not scanned: %(reason)s") % {"reason": reason}).save()
    return len(endpoints)


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
