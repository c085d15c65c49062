"""Monitoring's figures on the dashboard: open events by severity and open calendar events by kind
(overdue reviews, expiring TLS certificates and certifications, expiring risk acceptances, missing AVV …).
Counted with the event list's own filter, so each figure and the list it links to agree."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from vendorvet.web.core.passcache import cached
from vendorvet.web.core.registry import DashboardFigure, registry
from vendorvet.web.monitoring.models import EventState, Severity
from vendorvet.web.monitoring.services import wake_snoozed
from vendorvet.web.monitoring.views import filtered_events


def _url(**params) -> str:
    return reverse("monitoring:event_list") + ("?" + urlencode(params) if params else "")


def _grouped() -> list[dict]:
    """Open and acknowledged events counted by severity and kind, for both sections: per state, the event list's
    own filter grouped in the covering index's order (tenant, state, severity, kind) — read in order and counted
    without a sort or hash of the matching rows."""
    def compute():
        wake_snoozed()  # as the event list does: a snooze whose time is up counts as open again
        rows = []
        for state in (EventState.OPEN, EventState.ACKNOWLEDGED):  # together: the list's default, "active"
            rows += filtered_events({"state": state})[0].order_by().values("state", "severity", "kind").annotate(
                n=Count("*"))
        return rows
    return cached("monitoring.grouped", compute)


def _counts(field: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in _grouped():
        out[row[field]] = out.get(row[field], 0) + row["n"]
    return out


def by_severity() -> list[DashboardFigure]:
    counts = _counts("severity")
    out = [DashboardFigure("monitoring.open", gettext_lazy("All open events"), sum(counts.values()), _url(),
                           tone="warn")]
    for value, label in Severity.choices:
        if value in counts or value in ("critical", "high", "medium", "low"):
            out.append(DashboardFigure(f"monitoring.severity.{value}", label, counts.get(value, 0),
                                       _url(severity=value),
                                       tone="bad" if value in ("critical", "high") else "warn"))
    return out


def by_calendar_kind() -> list[DashboardFigure]:
    counts = _counts("kind")
    out = []
    kinds = sorted(((k, s) for k, s in registry.event_kinds.items() if s.group == "calendar"),
                   key=lambda kv: kv[1].order)
    for key, spec in kinds:
        out.append(DashboardFigure(f"monitoring.kind.{key}", spec.label, counts.get(key, 0), _url(kind=key),
                                   tone="bad" if spec.severity in ("high", "critical") else "warn"))
    return out



def severity_per_tenant(tenant_ids: list[int]) -> dict[int, dict[str, int]]:
    """For the service-provider view: the severity figures of several tenants in one query (the caller has
    checked the user's membership of each)."""
    from vendorvet.web.monitoring.models import MonitoringEvent

    out: dict[int, dict[str, int]] = {t: {"monitoring.open": 0} for t in tenant_ids}
    wake_snoozed(tenant_ids=tenant_ids)  # as on each tenant's dashboard: a snooze whose time is up counts as open
    rows = (MonitoringEvent.all_tenants.filter(tenant_id__in=tenant_ids,
                                               state__in=[EventState.OPEN, EventState.ACKNOWLEDGED])
            .order_by().values("tenant_id", "state", "severity").annotate(n=Count("*")))
    for row in rows:
        figures = out[row["tenant_id"]]
        key = f"monitoring.severity.{row['severity']}"
        figures["monitoring.open"] += row["n"]
        figures[key] = figures.get(key, 0) + row["n"]
    return out
