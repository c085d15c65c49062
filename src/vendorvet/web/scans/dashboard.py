"""Scans' figures on the dashboard and the integration-list facets behind them: the grade distribution of each
integration's latest finished scan (its worst graded endpoint), and TLS certificates of those scans that expire
within 30 or 90 days.

A figure and its facet (``?facet=scans.…`` on the integration list) use the same queryset, so they agree. With no
finished scan at all the figures say so instead of showing zeros.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Subquery, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from vendorvet.engine.grades import SCALE
from vendorvet.web.core.registry import DashboardFigure, DashboardSection, IntegrationFacet, registry
from vendorvet.web.inventory.choices import Status
from vendorvet.web.scans.models import Finding, RunStatus, ScanRun, ScanTarget

INACTIVE = (Status.REJECTED, Status.RETIRED)
UNGRADED = "-"
CERT_WINDOWS = (30, 90)


def latest_runs():
    """Each active integration's latest finished scan run, annotated with its worst grade ("-": none graded)."""
    newer = ScanRun.objects.filter(integration=OuterRef("integration_id"), status=RunStatus.DONE).filter(
        Q(created__gt=OuterRef("created")) | Q(created=OuterRef("created"), pk__gt=OuterRef("pk")))
    worst = ScanTarget.objects.filter(run=OuterRef("pk")).exclude(grade="").order_by("-grade").values("grade")[:1]
    return (ScanRun.objects.filter(status=RunStatus.DONE).exclude(integration__status__in=INACTIVE)
            .exclude(Exists(newer)).annotate(worst=Coalesce(Subquery(worst), Value(UNGRADED))))


def _key(grade: str) -> str:
    return f"scans.grade.{'none' if grade == UNGRADED else grade}"


def _grade_facet(grade: str):
    return lambda qs: qs.filter(pk__in=latest_runs().filter(worst=grade).values("integration_id"))


def expiring_runs(days: int, today: dt.date | None = None):
    """The latest runs that saw a TLS certificate expiring within ``days`` (or expired): one query.

    ``not_after`` is stored as ISO 8601 text, so "its date is on or before the cut-off day" is a text comparison
    with the day after the cut-off — the same as :class:`CertificateValidity` ``.expires_on`` read in Python."""
    today = today or timezone.localdate()
    before = (today + dt.timedelta(days=days + 1)).isoformat()
    soon = Finding.objects.filter(run=OuterRef("pk")).annotate(
        not_after=Cast(KT("evidence__not_after"), TextField())).filter(
        not_after__lt=before, not_after__gte="0000")
    return latest_runs().filter(Exists(soon))


def _cert_facet(days: int):
    return lambda qs: qs.filter(pk__in=expiring_runs(days).values("integration_id"))


def _url(facet: str) -> str:
    return reverse("inventory:integration_list") + "?" + urlencode({"facet": facet})


GRADE_LABELS = {UNGRADED: gettext_lazy("Latest scan: no endpoint could be graded")}
CERT_LABELS = {30: gettext_lazy("TLS certificate expires within 30 days (or has expired)"),
               90: gettext_lazy("TLS certificate expires within 90 days (or has expired)")}
NO_SCAN = gettext_lazy("Cannot say yet: no scan has finished.")


def _graded(grade: str) -> str:
    return gettext("Latest scan graded %(grade)s") % {"grade": grade}


def _grade_label(grade: str):
    return GRADE_LABELS.get(grade) or lazy(_graded, str)(grade)


def grade_figures() -> list[DashboardFigure]:
    counts = {row["worst"]: row["n"] for row in latest_runs().order_by().values("worst").annotate(n=Count("pk"))}
    if not counts:
        return [DashboardFigure("scans.grades", gettext_lazy("Grades of the latest scans"), None,
                                reverse("scans:run_list"), reason=NO_SCAN)]
    total = sum(counts.values())
    out = []
    for grade in (*SCALE, UNGRADED):
        tone = "bad" if grade in ("E", "F") else "warn" if grade in ("C", "D", UNGRADED) else ""
        out.append(DashboardFigure(_key(grade), _grade_label(grade), counts.get(grade, 0), _url(_key(grade)),
                                   tone=tone, total=total))
    return out


def cert_figures() -> list[DashboardFigure]:
    if not latest_runs().exists():
        return [DashboardFigure(f"scans.tls{days}", CERT_LABELS[days], None, reverse("scans:run_list"),
                                reason=NO_SCAN) for days in CERT_WINDOWS]
    return [DashboardFigure(f"scans.tls{days}", CERT_LABELS[days], expiring_runs(days).count(),
                            _url(f"scans.tls{days}"), tone="bad" if days == 30 else "warn") for days in CERT_WINDOWS]


def register() -> None:
    """Called from ``ScansConfig.ready()``."""
    for grade in (*SCALE, UNGRADED):
        registry.integration_facets.register(_key(grade), IntegrationFacet(_grade_label(grade), _grade_facet(grade)))
    for days in CERT_WINDOWS:
        registry.integration_facets.register(f"scans.tls{days}", IntegrationFacet(CERT_LABELS[days],
                                                                                  _cert_facet(days)))
    registry.dashboard_sections.register("scans.grades", DashboardSection(
        gettext_lazy("Grades of the latest scans"), grade_figures, order=50))
    registry.dashboard_sections.register("scans.certificates", DashboardSection(
        gettext_lazy("TLS certificates of the latest scans"), cert_figures, order=55))
