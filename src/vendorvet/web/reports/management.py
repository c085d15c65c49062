"""The management report of a tenant: the dashboard's figures and trends, top risks, decisions taken in the
period and what is overdue — two to four pages for the managing director.

The figures come from the dashboard's own registry sections (:func:`dashboard.figures.collect`), the trends from
its weekly snapshots, so the report and the dashboard never disagree. Everything in :func:`build` is JSON-able
content data (see :mod:`.pdf`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vendorvet.engine import scoring_review
from vendorvet.web.assessments.models import Assessment, Condition, Decision, OPEN_STATUSES, RiskAcceptance
from vendorvet.web.dashboard import figures as dashboard_figures
from vendorvet.web.dashboard import snapshots
from vendorvet.web.inventory.choices import Status
from vendorvet.web.inventory.models import Integration
from vendorvet.web.monitoring.views import filtered_events

TOP = 10
UNDECIDED = (Status.PROPOSED, Status.IN_REVIEW)
LOW_GRADES = ("D", "E", "F")


def month_before(end: dt.date) -> dt.date:
    return scoring_review.add_months(end, -1) + dt.timedelta(days=1)


def _figures() -> tuple[dict | None, list[dict]]:
    sections = dashboard_figures.collect()
    tiers = next((s for s in sections if s.key == "inventory.tiers"), None)
    matrix = None
    if tiers is not None:
        m = dashboard_figures.tier_matrix(tiers.figures)
        matrix = {"statuses": [str(s) for s in m["statuses"]],
                  "rows": [{"label": str(r["label"]), "cells": [c.count for c in r["cells"]], "total": r["total"]}
                           for r in m["rows"]]}
    out = [{"label": str(s.label), "figures": [{"key": f.key, "label": str(f.label), "count": f.count,
                                                 "tone": f.tone if f.count else ""} for f in s.figures]}
           for s in sections if s.key != "inventory.tiers"]
    return matrix, out


def _trends(today: dt.date) -> list[dict]:
    charts = []
    for c in snapshots.trends(today, width=640, height=120):
        charts.append({"label": str(c["label"]), "width": c["width"], "height": c["height"], "pad": c["pad"],
                       "baseline": c["baseline"], "top": c["top"], "polyline": c["polyline"],
                       "points": [[x, y] for x, y, _v, _w in c["points"]],
                       "latest": c["latest"], "first_week": c["first_week"].isoformat() if c["first_week"] else "",
                       "last_week": c["last_week"].isoformat() if c["last_week"] else ""})
    return charts


def _risks(today: dt.date) -> list[dict]:
    """The top risks, most pressing first: open critical/high events, lapsed risk acceptances, tier 1–2
    integrations still undecided, approved integrations decided with a low grade."""
    risks = []
    events = filtered_events({})[0].filter(severity__in=("critical", "high")).select_related("integration")
    for e in events.order_by("first_seen")[:TOP]:
        risks.append({"rank": 0 if e.severity == "critical" else 1, "what": e.shown_title,
                      "where": e.integration.name if e.integration else "",
                      "why": _("open monitoring event (%(severity)s) since %(date)s") % {
                          "severity": e.get_severity_display(), "date": timezone.localtime(e.first_seen).date().isoformat()}})
    for a in RiskAcceptance.objects.select_related("integration").filter(expires_on__lt=today)[:TOP]:
        risks.append({"rank": 1, "what": _("Risk acceptance lapsed"), "where": a.integration.name,
                      "why": _("expired on %(date)s; owner: %(owner)s") % {"date": a.expires_on.isoformat(),
                                                                           "owner": a.risk_owner}})
    for i in Integration.objects.filter(tier__lte=2, status__in=UNDECIDED).order_by("tier", "name")[:TOP]:
        risks.append({"rank": 2, "what": _("Tier %(tier)d integration not yet decided") % {"tier": i.tier},
                      "where": i.name, "why": str(i.get_status_display())})
    latest = {}
    for d in Decision.objects.select_related("assessment__integration").order_by("-decided_on", "-pk"):
        latest.setdefault(d.assessment.integration_id, d)
    for d in latest.values():
        if d.grade in LOW_GRADES and d.outcome != "reject":
            risks.append({"rank": 3, "what": _("Approved with grade %(grade)s") % {"grade": d.grade},
                          "where": d.assessment.integration.name,
                          "why": _("decided on %(date)s") % {"date": d.decided_on.isoformat()}})
    risks.sort(key=lambda r: (r["rank"], r["where"]))
    return risks[:TOP]


def _decisions(start: dt.date, end: dt.date) -> list[dict]:
    rows = Decision.objects.filter(decided_on__gte=start, decided_on__lte=end).select_related("assessment__integration")
    return [{"date": d.decided_on.isoformat(), "integration": d.assessment.integration.name,
             "outcome": str(d.get_outcome_display()), "grade": d.grade, "score": d.score, "reviewer": d.reviewer_label}
            for d in rows.order_by("decided_on", "pk")]


def _overdue(today: dt.date) -> list[dict]:
    out = []
    for c in Condition.objects.filter(done=False, due_date__lt=today).select_related("decision__assessment__integration"):
        out.append({"what": _("Condition"), "item": c.text, "where": c.decision.assessment.integration.name,
                    "due": c.due_date.isoformat(), "owner": c.owner})
    for a in Assessment.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today).select_related("integration"):
        out.append({"what": _("Assessment"), "item": str(a.get_status_display()), "where": a.integration.name,
                    "due": a.due_date.isoformat(), "owner": a.assignee.get_username() if a.assignee else ""})
    latest = {}
    for d in Decision.objects.select_related("assessment__integration").order_by("-decided_on", "-pk"):
        latest.setdefault(d.assessment.integration_id, d)
    for d in latest.values():
        integration = d.assessment.integration
        if d.next_review_date and d.next_review_date < today and integration.status not in (Status.REJECTED,
                                                                                              Status.RETIRED):
            out.append({"what": _("Review"), "item": _("periodic review"), "where": integration.name,
                        "due": d.next_review_date.isoformat(), "owner": ""})
    for a in RiskAcceptance.objects.filter(expires_on__lt=today).select_related("integration"):
        out.append({"what": _("Risk acceptance"), "item": a.risk_owner, "where": a.integration.name,
                    "due": a.expires_on.isoformat(), "owner": a.risk_owner})
    out.sort(key=lambda r: (r["due"], r["where"]))
    return out


def build(language: str, tenant_name: str, start: dt.date, end: dt.date) -> dict:
    today = end
    with translation.override(language):
        matrix, sections = _figures()
        return {"kind": "management_report", "language": language, "tenant": tenant_name,
                "period": {"start": start.isoformat(), "end": end.isoformat()},
                "matrix": matrix, "sections": sections, "trends": _trends(today), "risks": _risks(today),
                "decisions": _decisions(start, end), "overdue": _overdue(today)}
