"""Assessments' figures on the dashboard and the filtered lists behind them:

* reviews overdue and due within 30 days (the next review date of each integration's latest decision) — facets
  of the integration list (``?facet=assessments.…``);
* vendor certifications (certificates, attestations, pen tests) that expire within 30 or 90 days or have
  expired — the certification register with ``?expires=30|90``;
* coverage of automated evidence: the answered review points whose answer was given with a *checked* automated
  suggestion, with only *could not check*, or without any (manual) — the review-point list ``?coverage=…``.

Each figure counts with the function its list filters with, so the two agree.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vendorvet.web.assessments.models import Answer, Certification, Decision
from vendorvet.web.core.registry import DashboardFigure, DashboardSection, IntegrationFacet, registry
from vendorvet.web.inventory.choices import Status

INACTIVE = (Status.REJECTED, Status.RETIRED)
DUE_DAYS = 30
CERT_WINDOWS = (30, 90)


# ----------------------------------------------------------------------------- reviews due and overdue
def latest_decisions(manager=None):
    """The latest decision of each active integration (the one whose next review date counts)."""
    manager = manager if manager is not None else Decision.objects
    newer = Decision.all_tenants.filter(assessment__integration=OuterRef("assessment__integration")).filter(
        Q(decided_on__gt=OuterRef("decided_on")) | Q(decided_on=OuterRef("decided_on"), pk__gt=OuterRef("pk")))
    return manager.exclude(assessment__integration__status__in=INACTIVE).exclude(Exists(newer))


def _review_q(which: str, today: dt.date) -> Q:
    if which == "overdue":
        return Q(next_review_date__lt=today)
    return Q(next_review_date__gte=today, next_review_date__lte=today + dt.timedelta(days=DUE_DAYS))


def _review_facet(which: str):
    def apply(qs):
        due = latest_decisions().filter(_review_q(which, timezone.localdate()))
        return qs.filter(pk__in=due.values("assessment__integration_id"))
    return apply


REVIEW_LABELS = {"overdue": gettext_lazy("Reviews overdue"),
                 "due": gettext_lazy("Reviews due within the next 30 days")}


def _integrations_url(facet: str) -> str:
    return reverse("inventory:integration_list") + "?" + urlencode({"facet": facet})


def review_figures() -> list[DashboardFigure]:
    today = timezone.localdate()
    counts = latest_decisions().aggregate(
        decided=Count("pk"), overdue=Count("pk", filter=_review_q("overdue", today)),
        due=Count("pk", filter=_review_q("due", today)))
    out = []
    for which, tone in (("overdue", "bad"), ("due", "warn")):
        if not counts["decided"]:
            out.append(DashboardFigure(f"assessments.review_{which}", REVIEW_LABELS[which], None,
                                       reverse("assessments:list"),
                                       reason=gettext_lazy("Cannot say yet: no review has been decided.")))
        else:
            out.append(DashboardFigure(f"assessments.review_{which}", REVIEW_LABELS[which], counts[which],
                                       _integrations_url(f"assessments.review_{which}"), tone=tone))
    return out


def reviews_per_tenant(tenant_ids: list[int]) -> dict[int, dict[str, int]]:
    """For the service-provider view: overdue and due reviews of several tenants in one query."""
    today = timezone.localdate()
    # a tenant without any decided review cannot say (None), as on its dashboard
    out = {t: {"assessments.review_overdue": None, "assessments.review_due": None} for t in tenant_ids}
    rows = (latest_decisions(Decision.all_tenants.filter(tenant_id__in=tenant_ids)).order_by().values("tenant_id")
            .annotate(overdue=Count("pk", filter=_review_q("overdue", today)),
                      due=Count("pk", filter=_review_q("due", today))))
    for row in rows:
        out[row["tenant_id"]] = {"assessments.review_overdue": row["overdue"], "assessments.review_due": row["due"]}
    return out


# ----------------------------------------------------------------------------- certifications expiring
def expiring_certifications(days: int, today: dt.date | None = None) -> list[Certification]:
    """Register entries whose validity ends within ``days`` (or has ended); entries without a date are not."""
    today = today or timezone.localdate()
    return [c for c in Certification.objects.select_related("vendor")
            if c.expires_on is not None and (c.expires_on - today).days <= days]


def _expiry_days(today: dt.date) -> list[int]:
    """Days left of every dated register entry (one read of the register for both windows)."""
    fields = ("kind", "valid_until", "period_end", "bridge_letter_until", "test_date")
    return [(c.expires_on - today).days for c in Certification.objects.only(*fields) if c.expires_on is not None]


CERT_LABELS = {30: gettext_lazy("Vendor certifications expiring within 30 days (or expired)"),
               90: gettext_lazy("Vendor certifications expiring within 90 days (or expired)")}


def certification_figures() -> list[DashboardFigure]:
    left = _expiry_days(timezone.localdate())
    if not left and not Certification.objects.exists():
        return [DashboardFigure(f"assessments.certs{days}", CERT_LABELS[days], None,
                                reverse("assessments:certifications"),
                                reason=gettext_lazy("Cannot say yet: no vendor certification is recorded."))
                for days in CERT_WINDOWS]
    return [DashboardFigure(f"assessments.certs{days}", CERT_LABELS[days], sum(1 for d in left if d <= days),
                            reverse("assessments:certifications") + f"?expires={days}",
                            tone="bad" if days == 30 else "warn") for days in CERT_WINDOWS]


# ----------------------------------------------------------------------------- automated evidence coverage
COVERAGE = ("checked", "could_not_check", "manual")
COVERAGE_LABELS = {
    "checked": gettext_lazy("Answered with a checked automated suggestion"),
    "could_not_check": gettext_lazy("Answered by hand: the automated check could not check"),
    "manual": gettext_lazy("Answered by hand: no automated check for the point"),
}
# the stored suggestions are JSON; its text form is the same on SQLite (json.dumps) and PostgreSQL (jsonb)
_CHECKED = '"state": "checked"'
_COULD_NOT = '"state": "could_not_check"'


def answered_points():
    return Answer.objects.exclude(answered_at=None).annotate(seen_text=Cast("evidence_seen", TextField()))


_CHECKED_Q, _COULD_NOT_Q = Q(seen_text__contains=_CHECKED), Q(seen_text__contains=_COULD_NOT)


def coverage_q(which: str) -> Q:
    return {"checked": _CHECKED_Q, "could_not_check": ~_CHECKED_Q & _COULD_NOT_Q,
            "manual": ~_CHECKED_Q & ~_COULD_NOT_Q}[which]


def coverage_figures() -> list[DashboardFigure]:
    # one grouped pass: each answer falls into the first class it matches — the order that is coverage_q's
    # exclusions — so its JSON text is searched at most twice instead of once per count
    kind = Case(When(_CHECKED_Q, then=Value("checked")), When(_COULD_NOT_Q, then=Value("could_not_check")),
                default=Value("manual"), output_field=CharField())
    counts = dict.fromkeys(COVERAGE, 0)
    for row in answered_points().annotate(coverage=kind).order_by().values("coverage").annotate(n=Count("pk")):
        counts[row["coverage"]] = row["n"]
    counts["total"] = sum(counts.values())
    url = reverse("assessments:points")
    if not counts["total"]:
        return [DashboardFigure("assessments.coverage", gettext_lazy("Answered review points"), None, url,
                                reason=gettext_lazy("Cannot say yet: no review point has been answered."))]
    out = [DashboardFigure("assessments.coverage", gettext_lazy("Answered review points"), counts["total"], url)]
    for which in COVERAGE:
        out.append(DashboardFigure(f"assessments.coverage.{which}", COVERAGE_LABELS[which], counts[which],
                                   f"{url}?coverage={which}", total=counts["total"],
                                   tone="warn" if which == "could_not_check" else ""))
    return out


def register() -> None:
    """Called from ``AssessmentsConfig.ready()``."""
    for which in ("overdue", "due"):
        registry.integration_facets.register(f"assessments.review_{which}",
                                             IntegrationFacet(REVIEW_LABELS[which], _review_facet(which)))
    for key, label, run, order in (
            ("assessments.certifications", gettext_lazy("Vendor certifications expiring"), certification_figures,
             56),
            ("assessments.coverage", gettext_lazy("Coverage of automated evidence"), coverage_figures, 70)):
        registry.dashboard_sections.register(key, DashboardSection(label, run, order=order))
    registry.dashboard_sections.register("assessments.reviews", DashboardSection(
        gettext_lazy("Reviews due and overdue"), review_figures, order=25, per_tenant=reviews_per_tenant))
