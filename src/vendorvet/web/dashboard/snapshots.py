"""Weekly snapshots of the dashboard's figures and the trend series drawn from them (SVG on the server)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.dashboard import figures as dashboard_figures
from vendorvet.web.dashboard.models import Snapshot

WEEKS = 53  # twelve months of weekly points

# series key -> (label, how to read it from a snapshot's flat figures)
SERIES = {
    "risk": _("Tier 1–2 integrations not yet decided"),
    "open": _("Open monitoring findings"),
    "overdue": _("Overdue reviews"),
}


def series_values(flat: dict[str, int]) -> dict[str, int]:
    risk = sum(v for k, v in flat.items()
               if k.startswith(("inventory.tier1.", "inventory.tier2."))
               and k.endswith((".proposed", ".in_review")))
    overdue = flat.get("assessments.review_overdue")  # from the decisions themselves (older snapshots: events)
    if overdue is None:
        overdue = flat.get("monitoring.kind.review_overdue")
    return {"risk": risk, "open": int(flat.get("monitoring.open") or 0), "overdue": int(overdue or 0)}


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def take_snapshot(today: dt.date | None = None) -> Snapshot:
    """Store (or refresh) this week's snapshot for the active tenant."""
    week = week_of(today or timezone.localdate())
    flat = dashboard_figures.flat(dashboard_figures.collect())
    with transaction.atomic():
        snap, _created = Snapshot.objects.update_or_create(week=week, defaults={"figures": flat})
    return snap


def weekly_snapshot(now=None) -> None:
    """The monitoring tick's periodic hook: one snapshot per tenant and week (refreshed on every tick)."""
    take_snapshot(timezone.localdate(now) if now is not None else None)


def trends(today: dt.date | None = None, width: int = 640, height: int = 160) -> list[dict]:
    """One chart per series: polyline points and axis labels for the SVG template."""
    since = week_of(today or timezone.localdate()) - dt.timedelta(weeks=WEEKS - 1)
    snaps = list(Snapshot.objects.filter(week__gte=since).order_by("week").only("week", "figures"))
    charts = []
    pad = 24
    for key, label in SERIES.items():
        values = [series_values(s.figures).get(key, 0) for s in snaps]
        top = max(values + [1])
        points = []
        for i, v in enumerate(values):
            x = pad + (i * (width - 2 * pad) / max(len(values) - 1, 1))
            y = height - pad - v * (height - 2 * pad) / top
            # SVG coordinates as plain strings: a German locale must not turn 24.5 into "24,5"
            points.append((f"{x:.1f}", f"{y:.1f}", v, snaps[i].week))
        charts.append({
            "key": key, "label": label, "top": top, "width": width, "height": height, "pad": pad,
            "points": points, "polyline": " ".join(f"{x},{y}" for x, y, _v, _w in points),
            "latest": values[-1] if values else None, "first_week": snaps[0].week if snaps else None,
            "last_week": snaps[-1].week if snaps else None, "baseline": height - pad,
        })
    return charts
