"""Monitoring's figures on the dashboard: open events by severity and open calendar events by kind
(overdue reviews, expiring TLS certificates and certifications, expiring risk acceptances, missing AVV …).
Counted with the event list's own filter, so each figure and the list it links to agree."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from vendorvet.web.core.registry import DashboardFigure, registry
from vendorvet.web.monitoring.models import Severity
from vendorvet.web.monitoring.views import filtered_events


def _url(**params) -> str:
    return reverse("monitoring:event_list") + ("?" + urlencode(params) if params else "")


def _active():
    return filtered_events({})[0]


def by_severity() -> list[DashboardFigure]:
    qs = _active()
    counts = {row["severity"]: row["n"] for row in qs.order_by().values("severity").annotate(n=Count("id"))}
    out = [DashboardFigure("monitoring.open", gettext_lazy("All open events"), sum(counts.values()), _url(),
                           tone="warn")]
    for value, label in Severity.choices:
        if value in counts or value in ("critical", "high", "medium", "low"):
            out.append(DashboardFigure(f"monitoring.severity.{value}", label, counts.get(value, 0),
                                       _url(severity=value),
                                       tone="bad" if value in ("critical", "high") else "warn"))
    return out


def by_calendar_kind() -> list[DashboardFigure]:
    qs = _active()
    counts = {row["kind"]: row["n"] for row in qs.order_by().values("kind").annotate(n=Count("id"))}
    out = []
    kinds = sorted(((k, s) for k, s in registry.event_kinds.items() if s.group == "calendar"),
                   key=lambda kv: kv[1].order)
    for key, spec in kinds:
        out.append(DashboardFigure(f"monitoring.kind.{key}", spec.label, counts.get(key, 0), _url(kind=key),
                                   tone="bad" if spec.severity in ("high", "critical") else "warn"))
    return out

