"""Scans' figures on the dashboard and the integration-list facets behind them: the grade distribution of each
integration's latest finished scan (its worst graded endpoint), and TLS certificates of those scans that expire
within 30 or 90 days.

A figure and its facet (``?facet=scans.…`` on the integration list) use the same queryset, so they agree. With no
finished scan at all the figures say so instead of showing zeros.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import CharField, Count, Exists, Func, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from vendorvet.engine.grades import SCALE
from vendorvet.web.core.passcache import cached
from vendorvet.web.core.registry import DashboardFigure, DashboardSection, IntegrationFacet, registry
from vendorvet.web.inventory.choices import Status
from vendorvet.web.scans.models import Finding, RunStatus, ScanRun, ScanTarget

INACTIVE = (Status.REJECTED, Status.RETIRED)
UNGRADED = "-"
CERT_WINDOWS = (30, 90)
CERT_CHECKS = ("tls.cert.expired", "tls.cert.expiring")  # the checks that record the leaf's ``not_after``


def latest_runs():
    """Each active integration's latest finished scan run, annotated with its worst grade (``worst``; "-": none
    graded) and the day its soonest TLS certificate ends (``cert``; "": no date seen). Both come from the run's
    stored summary (:func:`summarise`), or are derived from its rows where a run has none."""
    newer = ScanRun.objects.filter(integration=OuterRef("integration_id"), status=RunStatus.DONE).filter(
        Q(created__gt=OuterRef("created")) | Q(created=OuterRef("created"), pk__gt=OuterRef("pk")))
    worst = ScanTarget.objects.filter(run=OuterRef("pk")).exclude(grade="").order_by("-grade").values("grade")[:1]
    soonest = _with_day(Finding.objects.filter(run=OuterRef("pk"))).order_by("day").values("day")[:1]
    # COALESCE evaluates its arguments in order (SQLite and PostgreSQL): a summarised run costs no subquery
    return (ScanRun.objects.filter(status=RunStatus.DONE).exclude(integration__status__in=INACTIVE)
            .exclude(Exists(newer))
            .annotate(worst=Coalesce("worst_grade", Subquery(worst), Value(UNGRADED), output_field=CharField()),
                      cert=Coalesce("cert_day", Subquery(soonest), Value(""), output_field=CharField())))


def summarise(run: ScanRun) -> None:
    """Set the run's stored summary from its targets and certificate findings (the same rules as the
    subqueries in :func:`latest_runs`); called by the scan task before it marks the run done."""
    grades = [g for g in ScanTarget.objects.filter(run=run).exclude(grade="").values_list("grade", flat=True)]
    run.worst_grade = max(grades) if grades else UNGRADED
    days = [d for d in _with_day(Finding.objects.filter(run=run)).values_list("day", flat=True)]
    run.cert_day = min(days) if days else ""


class _NotAfterDay(Func):
    """The first ten characters (the day) of the evidence's ``not_after``: one JSON read per row."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="SUBSTR(JSON_EXTRACT(%(expressions)s, '$.not_after'), 1, 10)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="SUBSTR((%(expressions)s ->> 'not_after'), 1, 10)",
                           **extra)


def _with_day(findings):
    """Findings of the certificate checks that carry the certificate's end, with the day it ends (``day``).

    ``not_after`` is stored as ISO 8601 text, so its first ten characters are the day — the same day
    :class:`~vendorvet.engine.evidence.CertificateValidity` ``.expires_on`` reads in Python."""
    return (findings.filter(check_id__in=CERT_CHECKS).annotate(day=_NotAfterDay("evidence"))
            .filter(day__gte="0").order_by())


def _key(grade: str) -> str:
    return f"scans.grade.{'none' if grade == UNGRADED else grade}"


def _grade_facet(grade: str):
    return lambda qs: qs.filter(pk__in=latest_runs().filter(worst=grade).values("integration_id"))


def _cutoff(days: int, today: dt.date | None = None) -> str:
    return ((today or timezone.localdate()) + dt.timedelta(days=days)).isoformat()


def expiring_runs(days: int, today: dt.date | None = None):
    """The latest runs that saw a TLS certificate expiring within ``days`` (or expired)."""
    return latest_runs().exclude(cert="").filter(cert__lte=_cutoff(days, today))


def _cert_facet(days: int):
    return lambda qs: qs.filter(pk__in=expiring_runs(days).values("integration_id"))


def summary() -> tuple[dict[str, int], dict[int, int]]:
    """Per pass, for both sections, in one grouped query: latest runs by worst grade, and how many of them saw a
    TLS certificate ending within each window (or already ended)."""
    def compute():
        windows = {days: Count("pk", filter=~Q(cert="") & Q(cert__lte=_cutoff(days))) for days in CERT_WINDOWS}
        grades: dict[str, int] = {}
        expiring = dict.fromkeys(CERT_WINDOWS, 0)
        rows = latest_runs().order_by().values("worst").annotate(n=Count("pk"), **{f"tls{d}": windows[d]
                                                                                   for d in CERT_WINDOWS})
        for row in rows:
            grades[row["worst"]] = grades.get(row["worst"], 0) + row["n"]
            for days in CERT_WINDOWS:
                expiring[days] += row[f"tls{days}"]
        return grades, expiring
    return cached("scans.summary", compute)


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
    counts, _expiring = summary()
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
    counts, expiring = summary()
    if not counts:
        return [DashboardFigure(f"scans.tls{days}", CERT_LABELS[days], None, reverse("scans:run_list"),
                                reason=NO_SCAN) for days in CERT_WINDOWS]
    out = []
    for days in CERT_WINDOWS:
        out.append(DashboardFigure(f"scans.tls{days}", CERT_LABELS[days], expiring[days], _url(f"scans.tls{days}"),
                                   tone="bad" if days == 30 else "warn"))
    return out


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
