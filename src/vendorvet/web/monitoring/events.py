"""Recording monitoring events: changes between two scans, and calendar facts (no scan needed).

Every event has a stable dedup key (one row per fact, per tenant) and an *occurrence* token (the scan
run, or the day of the calendar sweep). Recording the same occurrence twice changes nothing; a new
occurrence of an open fact increments its count (grouped, not repeated); a fact that comes back after it
was resolved reopens its event. Only creation and reopening raise alerts.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from vendorvet import content
from vendorvet.web.core.context import current_actor
from vendorvet.web.monitoring.messages import CheckRemediation, CheckTitle, encode
from vendorvet.web.monitoring.messages import T as _  # texts rendered in the reader's language when shown
from vendorvet.web.monitoring.models import EventKind, EventState, MonitoringEvent

log = logging.getLogger(__name__)

SCAN_KINDS = (EventKind.FINDING_NEW, EventKind.FINDING_RESOLVED, EventKind.FINDING_CHANGED,
              EventKind.GRADE_CHANGED, EventKind.CERT_ROTATED, EventKind.LOCATION_CHANGED,
              EventKind.RATELIMIT_CHANGED, EventKind.LIFECYCLE_CHANGED)
# Facts a check can change without changing its status: (check, evidence keys, event kind).
WATCHED_FACTS = (
    ("location.country", ("countries",), EventKind.LOCATION_CHANGED),
    ("api.ratelimit.headers", ("format", "limit"), EventKind.RATELIMIT_CHANGED),
    ("api.lifecycle.deprecation", ("deprecation", "sunset"), EventKind.LIFECYCLE_CHANGED),
)
CALENDAR_KINDS = (EventKind.TLS_CERT_EXPIRING, EventKind.VENDOR_CERT_EXPIRING, EventKind.CONTRACT_DEADLINE,
                  EventKind.DPA_MISSING, EventKind.REVIEW_OVERDUE, EventKind.CONDITION_OVERDUE)
PERSONAL_CATEGORIES = {"personal", "special_category", "health"}


def config() -> dict:
    return content.load("monitoring")


@dataclass
class Recorded:
    event: MonitoringEvent
    fired: bool  # created or reopened: alert


def _actor_label() -> str:
    actor = current_actor()
    return actor.label[:150] if actor else ""


def record(*, kind: str, severity: str, key: str, occurrence: str, title, detail="", action="",
           before=None, after=None, integration=None, vendor=None, run=None, now=None, alert: bool = True) -> Recorded:
    """Create or update the event for ``key`` (see the module docstring); alerts when it fires anew.

    ``title``, ``detail`` and ``action`` are plain text or :class:`~vendorvet.web.monitoring.messages.Msg`
    (stored as message and parameters, shown in the reader's language; the text fields keep it in the
    language active now).
    """
    now = now or timezone.now()
    texts = {name: encode(value) for name, value in (("title", title), ("detail", detail), ("action", action))
             if value and not isinstance(value, str)}
    values = dict(kind=kind, severity=severity, title=str(title)[:300], detail=str(detail or ""),
                  action=str(action or ""), texts=texts, before=before, after=after, integration=integration,
                  vendor=vendor or getattr(integration, "vendor", None), run=run)
    existing = MonitoringEvent.objects.filter(dedup_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                event = MonitoringEvent(dedup_key=key, first_seen=now, last_seen=now, last_occurrence=occurrence,
                                        **values)
                event.save()
        except IntegrityError:  # another worker recorded it at the same moment
            existing = MonitoringEvent.objects.get(dedup_key=key)
        else:
            if alert:
                _dispatch(event)
            return Recorded(event, True)
    # compare-and-swap on the occurrence: of two workers recording the same occurrence, one counts it
    updated = (MonitoringEvent.objects.filter(pk=existing.pk).exclude(last_occurrence=occurrence)
               .update(occurrences=F("occurrences") + 1, last_occurrence=occurrence, last_seen=now))
    event = MonitoringEvent.objects.get(pk=existing.pk)
    if not updated:
        return Recorded(event, False)
    reopen = event.state == EventState.RESOLVED or (
        event.state == EventState.SNOOZED and event.snoozed_until is not None and event.snoozed_until <= now)
    for name, value in values.items():
        setattr(event, name, value)
    if reopen:
        event.state, event.snoozed_until, event.state_changed_by = EventState.OPEN, None, _actor_label()
    event.save()
    if reopen and alert:
        _dispatch(event)
    return Recorded(event, reopen)


def _dispatch(event: MonitoringEvent) -> None:
    from vendorvet.web.monitoring import alerts

    alerts.dispatch(event)


def resolve_where(**filters) -> int:
    """Resolve open/acknowledged/snoozed events matching ``filters`` (the fact went away)."""
    n = 0
    for event in MonitoringEvent.objects.filter(**filters).exclude(state=EventState.RESOLVED):
        event.state, event.snoozed_until, event.state_changed_by = EventState.RESOLVED, None, _actor_label()
        event.save()
        n += 1
    return n


# --------------------------------------------------------------------------- scan changes

def _target_rows(run) -> dict[str, object]:
    return {t.target: t for t in run.targets.all()}


def _cert_dates(run) -> dict[str, str]:
    out = {}
    for f in run.findings.filter(check_id__in=["tls.cert.expired", "tls.cert.expiring"]).select_related("scan_target"):
        not_after = (f.evidence or {}).get("not_after")
        if not_after:
            out[f.scan_target.target] = not_after
    return out


def record_scan_changes(run) -> list[Recorded]:
    """Events for what changed between ``run`` and the previous finished run of its integration.

    Idempotent per run: recording the same run again adds nothing.
    """
    from vendorvet.web.scans import services
    from vendorvet.web.scans.models import Finding

    diff = services.compare(run)
    if diff.previous is None:
        return []
    integration, occurrence = run.integration, f"run:{run.pk}"
    found = {(f.scan_target.target, f.check_id): f for f in Finding.objects.filter(run=run).select_related("scan_target")}
    previously = {(f.scan_target.target, f.check_id): f
                  for f in Finding.objects.filter(run=diff.previous).select_related("scan_target")}
    out: list[Recorded] = []
    common = dict(integration=integration, run=run, occurrence=occurrence)

    for change in diff.new:
        finding = found.get((change.target, change.check_id))
        severity = finding.severity if finding else "medium"
        out.append(record(
            kind=EventKind.FINDING_NEW, severity=severity, key=f"finding_new:{integration.pk}:{change.target}:"
            f"{change.check_id}", title=_("%(integration)s: %(title)s") % {"integration": integration,
                                                                             "title": _title(change)},
            detail=_("%(target)s: the check %(check)s changed from %(before)s to %(after)s. %(detail)s") % {
                "target": change.target, "check": change.check_id, "before": change.before or _("not checked"),
                "after": change.after, "detail": change.detail},
            action=_remediation(change.check_id),
            before={"status": change.before}, after={"status": change.after, "detail": change.detail}, **common))
    for change in diff.resolved:
        resolve_where(kind=EventKind.FINDING_NEW,
                      dedup_key=f"finding_new:{integration.pk}:{change.target}:{change.check_id}")
        out.append(record(
            kind=EventKind.FINDING_RESOLVED, severity="info",
            key=f"finding_resolved:{integration.pk}:{change.target}:{change.check_id}:{run.pk}",
            title=_("%(integration)s: resolved — %(title)s") % {"integration": integration, "title": _title(change)},
            detail=_("%(target)s: the check %(check)s changed from %(before)s to %(after)s.") % {
                "target": change.target, "check": change.check_id, "before": change.before,
                "after": change.after or _("not checked")},
            action=_("Nothing to do; the problem is no longer found."),
            before={"status": change.before}, after={"status": change.after}, **common))
    for change in diff.changed:
        finding, earlier = found.get((change.target, change.check_id)), previously.get((change.target, change.check_id))
        out.append(record(
            kind=EventKind.FINDING_CHANGED, severity=finding.severity if finding and finding.is_problem else "low",
            key=f"finding_changed:{integration.pk}:{change.target}:{change.check_id}:{run.pk}",
            title=_("%(integration)s: changed — %(title)s") % {"integration": integration, "title": _title(change)},
            detail=_("%(target)s: the check %(check)s changed from %(before)s to %(after)s. %(detail)s") % {
                "target": change.target, "check": change.check_id, "before": change.before, "after": change.after,
                "detail": change.detail},
            action=_remediation(change.check_id),
            before={"status": change.before, "severity": earlier.severity if earlier else None},
            after={"status": change.after, "severity": finding.severity if finding else None}, **common))

    now_targets, then_targets = _target_rows(run), _target_rows(diff.previous)
    for target, row in now_targets.items():
        earlier = then_targets.get(target)
        if earlier is None or earlier.grade == row.grade or not (earlier.grade or row.grade):
            continue
        worse = (row.grade or "Z") > (earlier.grade or "Z")
        out.append(record(
            kind=EventKind.GRADE_CHANGED, severity="high" if worse else "info",
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
                kind=EventKind.CERT_ROTATED, severity="info", key=f"cert_rotated:{integration.pk}:{target}:{not_after}",
                title=_("%(integration)s: TLS certificate replaced") % {"integration": integration},
                detail=_("%(target)s now presents a certificate valid until %(after)s (before: %(before)s).") % {
                    "target": target, "after": not_after[:10], "before": earlier[:10]},
                action=_("Check that clients pinning the old certificate were updated."),
                before={"not_after": earlier}, after={"not_after": not_after}, **common))
    return out


def _fact_changes(integration, run, found, previously, status_changed, common) -> list[Recorded]:
    """Watched evidence that changed while the check's status stayed the same (a status change is reported
    as a finding event already): a new country of the addresses, another rate-limit policy, a new sunset date."""
    from vendorvet.engine.checks.location.country import EEA

    out = []
    for check_id, keys, kind in WATCHED_FACTS:
        for (target, cid), finding in found.items():
            earlier = previously.get((target, cid))
            if cid != check_id or earlier is None or (target, cid) in status_changed:
                continue
            before = {k: (earlier.evidence or {}).get(k) for k in keys}
            after = {k: (finding.evidence or {}).get(k) for k in keys}
            if before == after:
                continue
            severity = "low"
            if kind == EventKind.LOCATION_CHANGED:
                added = set(after["countries"] or []) - set(before["countries"] or [])
                severity = "high" if added - EEA else "medium" if added else "low"
            elif kind == EventKind.LIFECYCLE_CHANGED:
                severity = "high" if after.get("sunset") else "medium"
            label = {EventKind.LOCATION_CHANGED: _("server location changed"),
                     EventKind.RATELIMIT_CHANGED: _("rate-limit policy changed"),
                     EventKind.LIFECYCLE_CHANGED: _("deprecation or sunset changed")}[kind]
            out.append(record(
                kind=kind, severity=severity, key=f"{kind}:{integration.pk}:{target}:{run.pk}",
                title=_("%(integration)s: %(what)s") % {"integration": integration, "what": label},
                detail=_("%(target)s: %(before)s → %(after)s") % {
                    "target": target, "before": _facts_text(before), "after": _facts_text(after)},
                action=_remediation(check_id), before=before, after=after, **common))
    return out


def _facts_text(facts: dict) -> str:
    return "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else ('–' if v in (None, '') else v)}"
                     for k, v in facts.items())


def _title(change):
    """The finding's title as a text rendered in the reader's language when it is the engine's own title."""
    from vendorvet.web.core.checktexts import english_text

    return CheckTitle(change.check_id) if change.title == english_text(change.check_id, "title") else change.title


def _remediation(check_id: str):
    from vendorvet.engine import registry

    return CheckRemediation(check_id) if registry.all_checks().get(check_id) else ""


# --------------------------------------------------------------------------- calendar sweep

def _days(label_days: int) -> str:
    return _("in %(n)d days") % {"n": label_days} if label_days >= 0 else _("%(n)d days ago") % {"n": -label_days}


def sweep_calendar(today: dt.date | None = None, now=None) -> list[Recorded]:
    """Calendar facts of the active tenant; facts that no longer hold resolve their events."""
    today = today or timezone.localdate()
    occurrence = f"day:{today.isoformat()}"
    out: list[Recorded] = []
    for sweep in (_sweep_tls, _sweep_vendor_certs, _sweep_contracts, _sweep_dpa, _sweep_reviews, _sweep_conditions):
        out += sweep(today, occurrence, now)
    # facts not seen today are gone (certificate renewed, DPA signed, condition done …)
    resolve_where(kind__in=list(CALENDAR_KINDS), last_occurrence__startswith="day:",
                  last_occurrence__lt=occurrence)
    return out


def latest_done_runs() -> dict[int, int]:
    """{integration id: id of its latest finished scan run} for the active tenant (one query)."""
    from django.db.models import OuterRef, Subquery

    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.scans.models import RunStatus, ScanRun

    latest = (ScanRun.objects.filter(integration=OuterRef("pk"), status=RunStatus.DONE)
              .order_by("-created", "-pk").values("pk")[:1])
    return {pk: run for pk, run in Integration.objects.annotate(latest=Subquery(latest))
            .exclude(latest=None).values_list("pk", "latest")}


def _sweep_tls(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.scans.models import Finding

    warn = int(config()["calendar"]["tls_warn_days"])
    out = []
    findings = (Finding.objects.filter(run_id__in=list(latest_done_runs().values()), check_id="tls.cert.expired")
                .select_related("scan_target", "run__integration__vendor"))
    for f in findings:
        not_after = (f.evidence or {}).get("not_after")
        if not not_after:
            continue
        try:
            expires = dt.datetime.fromisoformat(not_after).date()
        except ValueError:
            continue
        days = (expires - today).days
        if days > warn:
            continue
        integration = f.run.integration
        out.append(record(
            kind=EventKind.TLS_CERT_EXPIRING, severity="critical" if days < 0 else "high" if days <= 7 else "medium",
            key=f"tls_expiry:{integration.pk}:{f.scan_target.target}:{expires.isoformat()}", occurrence=occurrence,
            title=_("%(integration)s: TLS certificate expires %(when)s") % {"integration": integration,
                                                                         "when": _days(days)},
            detail=_("The certificate of %(target)s is valid until %(date)s.") % {"target": f.scan_target.target,
                                                                                 "date": expires.isoformat()},
            action=_("Ask the vendor to renew the certificate (and to automate renewal), then re-scan."),
            after={"not_after": not_after, "days_left": days}, integration=integration, run=f.run, now=now))
    return out


def _sweep_vendor_certs(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.assessments.models import Certification

    warn = int(config()["calendar"]["certification_warn_days"])
    out = []
    for cert in Certification.objects.select_related("vendor"):
        expires = cert.expires_on
        if expires is None:
            continue
        days = (expires - today).days
        if days > warn:
            continue
        out.append(record(
            kind=EventKind.VENDOR_CERT_EXPIRING, severity="high" if days < 0 else "medium",
            key=f"vendor_cert:{cert.pk}:{expires.isoformat()}", occurrence=occurrence,
            title=_("%(vendor)s: %(cert)s expires %(when)s") % {"vendor": cert.vendor, "cert": cert, "when": _days(days)}
            if days >= 0 else _("%(vendor)s: %(cert)s expired %(when)s") % {"vendor": cert.vendor, "cert": cert,
                                                                           "when": _days(days)},
            detail=_("%(cert)s of %(vendor)s is valid until %(date)s.") % {"cert": cert, "vendor": cert.vendor,
                                                                          "date": expires.isoformat()},
            action=_("Request the renewed certificate (or the SOC 2 bridge letter) from the vendor and record it."),
            after={"expires_on": expires.isoformat(), "days_left": days, "kind": cert.kind}, vendor=cert.vendor,
            now=now))
    return out


def _sweep_contracts(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.legal.services import due_reminders

    horizon = int(config()["calendar"]["contract_horizon_days"])
    out = []
    for due in due_reminders(horizon_days=horizon):
        contract, days = due["contract"], due["days"]
        out.append(record(
            kind=EventKind.CONTRACT_DEADLINE, severity="high" if days <= 14 else "medium",
            key=f"contract:{contract.pk}:{due['kind']}:{due['date'].isoformat()}", occurrence=occurrence,
            title=_("%(vendor)s: %(contract)s — %(what)s %(when)s") % {
                "vendor": contract.vendor, "contract": contract.title, "when": _days(days),
                "what": {"notice": _("notice deadline"), "renewal": _("automatic renewal"),
                         "expiry": _("contract ends")}.get(due["kind"], due["kind"])},
            detail=_("Date: %(date)s.") % {"date": due["date"].isoformat()},
            action=_("Decide whether to renew, renegotiate or give notice before the date."),
            after={"kind": due["kind"], "date": due["date"].isoformat(), "days_left": days},
            vendor=contract.vendor, now=now))
    return out


def _sweep_dpa(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.legal.models import Contract

    with_dpa = set(Contract.objects.filter(type=Contract.Type.DPA).values_list("vendor_id", flat=True))
    out = []
    for integration in Integration.objects.select_related("vendor").exclude(status__in=["rejected", "retired"]):
        personal = PERSONAL_CATEGORIES & set(integration.data_categories or [])
        if not personal or integration.vendor_id in with_dpa:
            continue
        out.append(record(
            kind=EventKind.DPA_MISSING, severity="high", key=f"dpa_missing:{integration.pk}", occurrence=occurrence,
            title=_("%(integration)s: no AVV/DPA recorded") % {"integration": integration},
            detail=_("The integration processes personal data (%(categories)s), but no AVV/DPA with %(vendor)s "
                     "is recorded.") % {"categories": ", ".join(sorted(personal)), "vendor": integration.vendor},
            action=_("Conclude an AVV/DPA under Art. 28 GDPR and record it in the vendor's contracts."),
            after={"data_categories": sorted(personal)}, integration=integration, now=now))
    return out


def _sweep_reviews(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.assessments.models import Decision

    out, seen = [], set()
    for decision in (Decision.objects.select_related("assessment__integration__vendor")
                     .order_by("-decided_on", "-pk")):
        integration = decision.assessment.integration
        if integration.pk in seen:
            continue
        seen.add(integration.pk)  # the latest decision of each integration counts
        due = decision.next_review_date
        if due is None or due >= today:
            continue
        out.append(record(
            kind=EventKind.REVIEW_OVERDUE, severity="high" if integration.tier <= 2 else "medium",
            key=f"review_overdue:{integration.pk}:{due.isoformat()}", occurrence=occurrence,
            title=_("%(integration)s: review overdue since %(date)s") % {"integration": integration,
                                                                       "date": due.isoformat()},
            detail=_("The last decision (%(decision)s) set the next review for %(date)s.") % {
                "decision": decision, "date": due.isoformat()},
            action=_("Start a new assessment of the integration."),
            after={"next_review": due.isoformat(), "days_overdue": (today - due).days}, integration=integration,
            now=now))
    return out


def _sweep_conditions(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.assessments.models import Condition

    out = []
    for cond in (Condition.objects.filter(done=False, due_date__lt=today)
                 .select_related("decision__assessment__integration__vendor")):
        integration = cond.decision.assessment.integration
        out.append(record(
            kind=EventKind.CONDITION_OVERDUE, severity="high",
            key=f"condition_overdue:{cond.pk}:{cond.due_date.isoformat()}", occurrence=occurrence,
            title=_("%(integration)s: condition past due — %(text)s") % {"integration": integration,
                                                                        "text": cond.text[:150]},
            detail=_("Owner: %(owner)s; due on %(date)s.") % {"owner": cond.owner, "date": cond.due_date.isoformat()},
            action=_("Have the owner fulfil the condition and mark it done, or revisit the decision."),
            after={"condition": cond.text, "due": cond.due_date.isoformat(), "owner": cond.owner},
            integration=integration, now=now))
    return out
