"""What the scans app tells monitoring: the change events between two runs, the TLS-expiry calendar check,
its event kinds, and the hooks monitoring (and legal) call instead of importing scans.

Events go through :mod:`vendorvet.web.core.events` (the monitoring sink records them). The facts read from
evidence are the engine's typed evidence (:mod:`vendorvet.engine.evidence`), found by the fact they carry.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vendorvet.engine.evidence import ApiLifecycle, CertificateValidity, RateLimitPolicy, ServerCountries
from vendorvet.web.core import events
from vendorvet.web.core.events import CalendarCheck, EventKind, Recorded, record, resolve_where
from vendorvet.web.core.messages import CheckRemediation, CheckTitle, Human, encode
from vendorvet.web.core.messages import T as _  # texts rendered in the reader's language when shown
from vendorvet.web.core.registry import registry
from vendorvet.web.scans.models import Finding, RunStatus, ScanRun

FINDING_NEW, FINDING_RESOLVED, FINDING_CHANGED = "finding_new", "finding_resolved", "finding_changed"
GRADE_CHANGED, CERT_ROTATED = "grade_changed", "cert_rotated"
LOCATION_CHANGED, RATELIMIT_CHANGED, LIFECYCLE_CHANGED = "location_changed", "ratelimit_changed", "lifecycle_changed"
TLS_CERT_EXPIRING = "tls_cert_expiring"
SCAN_CHANGES = "scan_changes"  # one event per scan run: the findings whose status changed (grouped)

KINDS = {
    SCAN_CHANGES: EventKind(gettext_lazy("Findings changed in a scan"), "scan", "medium", 9),
    FINDING_NEW: EventKind(gettext_lazy("New finding"), "scan", "medium", 10),
    FINDING_RESOLVED: EventKind(gettext_lazy("Finding resolved"), "scan", "info", 11),
    FINDING_CHANGED: EventKind(gettext_lazy("Finding changed"), "scan", "low", 12),
    GRADE_CHANGED: EventKind(gettext_lazy("Grade changed"), "scan", "high", 13),
    CERT_ROTATED: EventKind(gettext_lazy("Certificate replaced"), "scan", "info", 14),
    LOCATION_CHANGED: EventKind(gettext_lazy("Server location changed"), "scan", "medium", 15),
    RATELIMIT_CHANGED: EventKind(gettext_lazy("Rate-limit policy changed"), "scan", "low", 16),
    LIFECYCLE_CHANGED: EventKind(gettext_lazy("Deprecation or sunset changed"), "scan", "medium", 17),
    TLS_CERT_EXPIRING: EventKind(gettext_lazy("TLS certificate expiring"), "calendar", "high", 20),
}
# Facts a check can change without changing its status: (typed fact, event kind, label)
WATCHED_FACTS = (
    (ServerCountries, LOCATION_CHANGED, _("server location changed")),
    (RateLimitPolicy, RATELIMIT_CHANGED, _("rate-limit policy changed")),
    (ApiLifecycle, LIFECYCLE_CHANGED, _("deprecation or sunset changed")),
)


def _target_rows(run) -> dict[str, object]:
    return {t.target: t for t in run.targets.all()}


def _with_fact(qs, fact):
    """Findings whose evidence carries ``fact`` (any of its keys)."""
    from django.db.models import Q

    condition = Q()
    for key in fact.KEYS:
        condition |= Q(evidence__has_key=key)
    return qs.filter(condition)


def _cert_dates(run) -> dict[str, str]:
    out = {}
    for f in _with_fact(run.findings.all(), CertificateValidity).select_related("scan_target").order_by("pk"):
        validity = CertificateValidity.from_evidence(f.evidence)
        if validity is not None:
            out.setdefault(f.scan_target.target, validity.not_after)
    return out


def record_scan_changes(run) -> list[Recorded]:
    """Events for what changed between ``run`` and the previous finished run of its integration.

    The findings whose status changed are *one* event per run (``scan_changes``, the list in its detail);
    a grade change, a replaced certificate and a watched fact that changed (server location, rate-limit
    policy, deprecation) stay events of their own: each is one fact per endpoint that people filter and alert
    on by kind. A first real verdict (the check could not run or was not checked before) is a baseline, not
    a change; so is the first scan of an integration. Idempotent per run: recording the same run again adds
    nothing.
    """
    from vendorvet.web.scans import services

    if not isinstance(run, ScanRun):  # a run id (or what monitoring knows of a run: its pk)
        run = ScanRun.objects.select_related("integration__vendor").get(pk=getattr(run, "pk", run))
    diff = services.compare(run)
    if diff.previous is None:
        return []
    integration, occurrence = run.integration, f"run:{run.pk}"
    found = {(f.scan_target.target, f.check_id): f
             for f in Finding.objects.filter(run=run).select_related("scan_target")}
    previously = {(f.scan_target.target, f.check_id): f
                  for f in Finding.objects.filter(run=diff.previous).select_related("scan_target")}
    out: list[Recorded] = []
    common = dict(integration=integration, run=run, occurrence=occurrence)
    # a check that could not run before (error) or was not checked gets its first real verdict: a baseline
    new = [c for c in diff.new if not _baseline(c)]
    resolved = [c for c in diff.resolved if not _baseline(c)]
    changed = [c for c in diff.changed if not _baseline(c)]
    for change in diff.resolved:  # a problem gone (also error → pass): legacy per-finding events resolve
        _close_resolved(integration, change)
    if diff.resolved:
        _close_earlier_groups(run, found)
    items = ([_item("new", c, found, previously) for c in new] + [_item("resolved", c, found, previously)
             for c in resolved] + [_item("changed", c, found, previously) for c in changed])
    if items:
        out.append(_record_group(integration, run, items, common))

    now_targets, then_targets = _target_rows(run), _target_rows(diff.previous)
    for target, row in now_targets.items():
        earlier = then_targets.get(target)
        if earlier is None or earlier.grade == row.grade or not (earlier.grade or row.grade):
            continue
        worse = (row.grade or "Z") > (earlier.grade or "Z")
        out.append(record(
            kind=GRADE_CHANGED, severity="high" if worse else "info",
            key=f"grade:{integration.pk}:{target}:{run.pk}",
            title=_("%(integration)s: grade %(before)s → %(after)s") % {
                "integration": integration, "before": earlier.grade or "–", "after": row.grade or "–"},
            detail=_("%(target)s: the scan grade changed from %(before)s to %(after)s.") % {
                "target": target, "before": earlier.grade or "–", "after": row.grade or "–"},
            action=_("Open the scan to see which deductions changed.") if worse else "",
            before={"grade": earlier.grade, "score": earlier.score}, after={"grade": row.grade, "score": row.score},
            **common))

    status_changed = {(c.target, c.check_id) for c in (*diff.new, *diff.resolved, *diff.changed)}
    out += _fact_changes(integration, run, found, previously, status_changed, common)

    now_certs, then_certs = _cert_dates(run), _cert_dates(diff.previous)
    for target, not_after in now_certs.items():
        earlier = then_certs.get(target)
        if earlier and earlier != not_after:
            out.append(record(
                kind=CERT_ROTATED, severity="info", key=f"cert_rotated:{integration.pk}:{target}:{not_after}",
                title=_("%(integration)s: TLS certificate replaced") % {"integration": integration},
                detail=_("%(target)s now presents a certificate valid until %(after)s (before: %(before)s).") % {
                    "target": target, "after": not_after[:10], "before": earlier[:10]},
                action=_("Check that clients pinning the old certificate were updated."),
                before={"not_after": earlier}, after={"not_after": not_after}, **common))
    return out


BASELINE_BEFORE = (None, "error")  # "could not run" / not checked: the next real verdict is a baseline
SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")


def _baseline(change) -> bool:
    """A first real verdict (before: not checked or could not run) is a baseline, not a change."""
    return change.before in BASELINE_BEFORE and change.after not in BASELINE_BEFORE


def _item(what: str, change, found, previously) -> dict:
    """One line of a grouped scan-changes event (stored in ``after["changes"]``, shown as a list)."""
    finding = found.get((change.target, change.check_id))
    earlier = previously.get((change.target, change.check_id))
    if what == "new":
        severity = finding.severity if finding else "medium"
    elif what == "resolved":
        severity = "info"
    else:
        severity = finding.severity if finding and finding.is_problem else "low"
    return {"change": what, "target": change.target, "check": change.check_id,
            "title": encode(_title(change)), "before": change.before or "", "after": change.after or "",
            "severity": severity if severity in SEVERITY_ORDER else "medium",
            "before_severity": earlier.severity if earlier else "", "detail": change.detail or "",
            "action": "" if what == "resolved" else encode(_remediation(change.check_id)) or "",
            "_title": _title(change)}


def _worst(items) -> str:
    return max((i["severity"] for i in items), key=SEVERITY_ORDER.index)


def _record_group(integration, run, items, common) -> Recorded:
    """One event per scan run for every finding whose status changed (``SCAN_CHANGES``): the worst change
    gives the severity, it alerts once, and the list of changes is in ``after["changes"]``."""
    counts = {what: sum(1 for i in items if i["change"] == what) for what in ("new", "resolved", "changed")}
    n = len(items)
    detail = _("New problems: %(new)d, resolved: %(resolved)d, otherwise changed: %(changed)d.") % counts
    if n == 1:  # one change: the event reads as that change (its title, what to do about it)
        [item] = items
        heading = {"new": _("%(integration)s: %(title)s"), "resolved": _("%(integration)s: resolved — %(title)s"),
                   "changed": _("%(integration)s: changed — %(title)s")}[item["change"]]
        title = heading % {"integration": integration, "title": item["_title"]}
        action = (_("Nothing to do; the problem is no longer found.") if item["change"] == "resolved"
                  else _remediation(item["check"]))
    else:
        title = _("%(integration)s: %(n)d findings changed") % {"integration": integration, "n": n}
        action = (_("Open the event to see each change and what to do about it.")
                  if counts["new"] or counts["changed"] else _("Nothing to do; the problems are no longer found."))
    items = [{k: v for k, v in i.items() if not k.startswith("_")} for i in items]
    return record(kind=SCAN_CHANGES, severity=_worst(items), key=f"scan_changes:{integration.pk}:{run.pk}",
                  title=title, detail=detail, action=action, before={"run": getattr(common["run"], "pk", None)},
                  after={"changes": items, **counts}, **common)


def _close_resolved(integration, change) -> None:
    """Legacy per-finding events (recorded before grouping) of a problem that is gone are resolved."""
    resolve_where(kind=FINDING_NEW, dedup_key=f"finding_new:{integration.pk}:{change.target}:{change.check_id}")


EARLIER_GROUPS = 10  # how many earlier runs' grouped events a run can resolve


def _close_earlier_groups(run, found) -> None:
    """An earlier run's grouped event resolves itself once none of the problems it reported is found any
    more (the fact went away, as a per-finding event did)."""
    from vendorvet.web.scans import services

    problems_now = {key for key, f in found.items() if f.is_problem}
    earlier = (ScanRun.objects.filter(integration=run.integration, status=RunStatus.DONE, created__lte=run.created)
               .exclude(pk=run.pk).order_by("-created", "-pk")[:EARLIER_GROUPS])
    for older in earlier:
        reported = {(c.target, c.check_id) for c in services.compare(older).new if not _baseline(c)}
        if reported and not reported & problems_now:
            resolve_where(kind=SCAN_CHANGES, dedup_key=f"scan_changes:{run.integration_id}:{older.pk}")


def _fact_changes(integration, run, found, previously, status_changed, common) -> list[Recorded]:
    """Watched evidence that changed while the check's status stayed the same (a status change is reported
    as a finding event already): a new country of the addresses, another rate-limit policy, a new sunset date."""
    out = []
    for fact, kind, label in WATCHED_FACTS:
        for (target, check_id), finding in found.items():
            earlier = previously.get((target, check_id))
            if earlier is None or (target, check_id) in status_changed:
                continue
            now_fact, then_fact = fact.from_evidence(finding.evidence), fact.from_evidence(earlier.evidence)
            if now_fact is None and then_fact is None:
                continue
            before = (then_fact or fact()).to_evidence()
            after = (now_fact or fact()).to_evidence()
            if before == after:
                continue
            severity = "low"
            if fact is ServerCountries:
                added = set(after["countries"] or []) - set(before["countries"] or [])
                outside = (now_fact or fact()).outside_eea_among(added)
                severity = "high" if outside else "medium" if added else "low"
            elif fact is ApiLifecycle:
                severity = "high" if after.get("sunset") else "medium"
            out.append(record(
                kind=kind, severity=severity, key=f"{kind}:{integration.pk}:{target}:{run.pk}",
                title=_("%(integration)s: %(what)s") % {"integration": integration, "what": label},
                detail=_("%(target)s: %(before)s → %(after)s") % {
                    "target": target, "before": Human(before), "after": Human(after)},
                action=_remediation(check_id), before=before, after=after, **common))
    return out


def _title(change):
    """The finding's title as a text rendered in the reader's language when it is the engine's own title."""
    from vendorvet.web.core.checktexts import english_text

    return CheckTitle(change.check_id) if change.title == english_text(change.check_id, "title") else change.title


def _remediation(check_id: str):
    from vendorvet.engine import registry as engine_registry

    return CheckRemediation(check_id) if engine_registry.all_checks().get(check_id) else ""


# --------------------------------------------------------------------------- calendar: TLS certificate expiry

def latest_done_runs() -> dict[int, int]:
    """{integration id: id of its latest finished scan run} for the active tenant (one query)."""
    from vendorvet.web.inventory.models import Integration

    latest = (ScanRun.objects.filter(integration=OuterRef("pk"), status=RunStatus.DONE)
              .order_by("-created", "-pk").values("pk")[:1])
    return {pk: run for pk, run in Integration.objects.annotate(latest=Subquery(latest))
            .exclude(latest=None).values_list("pk", "latest")}


def tls_expiry(today: dt.date, occurrence: str, now=None) -> list[Recorded]:
    """Certificates of the latest scans that expire within the warning period (or have expired)."""
    warn = int(events.calendar_config()["tls_warn_days"])
    out, seen = [], set()
    findings = (_with_fact(Finding.objects.filter(run_id__in=list(latest_done_runs().values())), CertificateValidity)
                .select_related("scan_target", "run__integration__vendor").order_by("pk"))
    for f in findings:
        validity = CertificateValidity.from_evidence(f.evidence)
        expires = validity.expires_on if validity is not None else None
        if expires is None or (f.run_id, f.scan_target.target) in seen:
            continue
        seen.add((f.run_id, f.scan_target.target))  # one certificate per scanned endpoint
        days = (expires - today).days
        if days > warn:
            continue
        integration = f.run.integration
        out.append(record(
            kind=TLS_CERT_EXPIRING, severity="critical" if days < 0 else "high" if days <= 7 else "medium",
            key=f"tls_expiry:{integration.pk}:{f.scan_target.target}:{expires.isoformat()}", occurrence=occurrence,
            title=_("%(integration)s: TLS certificate expires %(when)s") % {"integration": integration,
                                                                         "when": events.in_days(days)},
            detail=_("The certificate of %(target)s is valid until %(date)s.") % {"target": f.scan_target.target,
                                                                                 "date": expires.isoformat()},
            action=_("Ask the vendor to renew the certificate (and to automate renewal), then re-scan."),
            after={"not_after": validity.not_after, "days_left": days}, integration=integration, run=f.run,
            now=now))
    return out


# --------------------------------------------------------------------------- hooks for monitoring and legal

def start_scheduled(integration) -> bool:
    """Queue a scheduled re-scan; False when refused (one is queued or running, no endpoints)."""
    from vendorvet.web.scans import services

    try:
        services.start_scan(integration)
    except services.ScanRefused:
        return False
    return True


def last_finished(integration):
    from vendorvet.web.scans.services import latest_run

    run = latest_run(integration)
    return run.finished if run is not None else None


def scan_locations(integration) -> dict[str, list[str]]:
    """Country → scanned host names, from the server countries of the latest finished scan's findings."""
    run = (ScanRun.objects.filter(integration=integration, status=RunStatus.DONE).order_by("-created", "-pk")
           .only("id").first())
    if run is None:
        return {}
    hosts: dict[str, list[str]] = {}
    for finding in _with_fact(Finding.objects.filter(run=run), ServerCountries).select_related("scan_target"):
        countries = ServerCountries.from_evidence(finding.evidence)
        host = finding.scan_target.host or finding.scan_target.target
        for code in countries.public_countries() if countries is not None else []:
            if host not in hosts.setdefault(code, []):
                hosts[code].append(host)
    return hosts


def on_run_saved(sender, instance, created, **kwargs) -> None:
    """post_save on ScanRun: a run that is done is announced (``core.events.scan_finished``)."""
    from vendorvet.web.core.context import current_tenant

    if instance.status != RunStatus.DONE or current_tenant() is None:
        return
    events.scan_finished.send(sender=ScanRun, run=instance)


def register() -> None:
    """Called from ``ScansConfig.ready()``."""
    from django.db.models.signals import post_save

    from vendorvet.web.scans.services import recover_lost_runs

    for key, spec in KINDS.items():
        registry.event_kinds.register(key, spec)
    registry.calendar_checks.register("scans.tls_expiry", CalendarCheck(
        kinds=(TLS_CERT_EXPIRING,), run=tls_expiry, label=gettext_lazy("TLS certificates of the latest scans"),
        order=10))
    registry.recovery_hooks.register("scans.lost_runs", recover_lost_runs)
    for name, fn in ((events.HOOK_START_SCAN, start_scheduled), (events.HOOK_RECORD_SCAN_CHANGES, record_scan_changes),
                     (events.HOOK_LATEST_DONE_RUNS, latest_done_runs), (events.HOOK_LAST_SCANNED, last_finished),
                     (events.HOOK_SCAN_LOCATIONS, scan_locations)):
        registry.hooks.register(name, fn)
    post_save.connect(on_run_saved, sender=ScanRun, dispatch_uid="scans_announce_finished_run")
