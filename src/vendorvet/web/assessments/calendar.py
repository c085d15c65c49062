"""What the assessments app tells monitoring: its event kinds and calendar checks (expiring vendor
certifications, overdue reviews, overdue conditions). Events go through :mod:`vendorvet.web.core.events`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendorvet.web.core import events
from vendorvet.web.core.events import CalendarCheck, EventKind, Recorded, record
from vendorvet.web.core.messages import T as _  # texts rendered in the reader's language when shown
from vendorvet.web.core.registry import registry

VENDOR_CERT_EXPIRING, REVIEW_OVERDUE, CONDITION_OVERDUE = "vendor_cert_expiring", "review_overdue", "condition_overdue"
RISK_ACCEPTANCE_EXPIRING, RISK_ACCEPTANCE_LAPSED = "risk_acceptance_expiring", "risk_acceptance_lapsed"

KINDS = {
    VENDOR_CERT_EXPIRING: EventKind(gettext_lazy("Vendor certification expiring"), "calendar", "medium", 30),
    REVIEW_OVERDUE: EventKind(gettext_lazy("Review overdue"), "calendar", "medium", 50),
    CONDITION_OVERDUE: EventKind(gettext_lazy("Condition overdue"), "calendar", "high", 51),
    RISK_ACCEPTANCE_EXPIRING: EventKind(gettext_lazy("Risk acceptance expiring"), "calendar", "medium", 52),
    RISK_ACCEPTANCE_LAPSED: EventKind(gettext_lazy("Risk acceptance lapsed"), "calendar", "high", 53),
}


def vendor_certifications(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.assessments.models import Certification

    warn = int(events.calendar_config()["certification_warn_days"])
    out = []
    for cert in Certification.objects.select_related("vendor"):
        expires = cert.expires_on
        if expires is None:
            continue
        days = (expires - today).days
        if days > warn:
            continue
        out.append(record(
            kind=VENDOR_CERT_EXPIRING, severity="high" if days < 0 else "medium",
            key=f"vendor_cert:{cert.pk}:{expires.isoformat()}", occurrence=occurrence,
            title=_("%(vendor)s: %(cert)s expires %(when)s") % {"vendor": cert.vendor, "cert": cert,
                                                                 "when": events.in_days(days)}
            if days >= 0 else _("%(vendor)s: %(cert)s expired %(when)s") % {"vendor": cert.vendor, "cert": cert,
                                                                           "when": events.in_days(days)},
            detail=_("%(cert)s of %(vendor)s is valid until %(date)s.") % {"cert": cert, "vendor": cert.vendor,
                                                                          "date": expires.isoformat()},
            action=_("Request the renewed certificate (or the SOC 2 bridge letter) from the vendor and record it."),
            after={"expires_on": expires.isoformat(), "days_left": days, "kind": cert.kind}, vendor=cert.vendor,
            now=now))
    return out


def overdue_reviews(today, occurrence, now) -> list[Recorded]:
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
            kind=REVIEW_OVERDUE, severity="high" if integration.tier <= 2 else "medium",
            key=f"review_overdue:{integration.pk}:{due.isoformat()}", occurrence=occurrence,
            title=_("%(integration)s: review overdue since %(date)s") % {"integration": integration,
                                                                       "date": due.isoformat()},
            detail=_("The last decision (%(decision)s) set the next review for %(date)s.") % {
                "decision": decision, "date": due.isoformat()},
            action=_("Start a new assessment of the integration."),
            after={"next_review": due.isoformat(), "days_overdue": (today - due).days}, integration=integration,
            now=now))
    return out


def overdue_conditions(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.assessments.models import Condition

    out = []
    for cond in (Condition.objects.filter(done=False, due_date__lt=today)
                 .select_related("decision__assessment__integration__vendor")):
        integration = cond.decision.assessment.integration
        out.append(record(
            kind=CONDITION_OVERDUE, severity="high",
            key=f"condition_overdue:{cond.pk}:{cond.due_date.isoformat()}", occurrence=occurrence,
            title=_("%(integration)s: condition past due — %(text)s") % {"integration": integration,
                                                                        "text": cond.text[:150]},
            detail=_("Owner: %(owner)s; due on %(date)s.") % {"owner": cond.owner, "date": cond.due_date.isoformat()},
            action=_("Have the owner fulfil the condition and mark it done, or revisit the decision."),
            after={"condition": cond.text, "due": cond.due_date.isoformat(), "owner": cond.owner},
            integration=integration, now=now))
    return out


def risk_acceptances(today, occurrence, now) -> list[Recorded]:
    """The risk acceptances the integrations' current approvals rest on: a reminder within the policy's
    reminder window, and the lapse once the expiry date has passed (the approval is then flagged lapsed)."""
    from vendorvet.web.assessments import policy, risk

    warn = policy.current().reminder_days
    out = []
    for acceptance in risk.register(today=today, warn_days=warn):
        if not acceptance.current or acceptance.current_state == "active":
            continue
        integration, expires = acceptance.integration, acceptance.expires_on
        days = (expires - today).days
        facts = {"integration": integration, "date": expires.isoformat(), "owner": acceptance.risk_owner}
        after = {"expires_on": expires.isoformat(), "days_left": days, "risk_owner": acceptance.risk_owner}
        if acceptance.current_state == "lapsed":
            out.append(record(
                kind=RISK_ACCEPTANCE_LAPSED, severity="high",
                key=f"risk_acceptance_lapsed:{acceptance.pk}:{expires.isoformat()}", occurrence=occurrence,
                title=_("%(integration)s: risk acceptance lapsed on %(date)s") % facts,
                detail=_("The approval rests on a risk acceptance (risk owner: %(owner)s) that expired on %(date)s; "
                         "the approval is flagged as lapsed.") % facts,
                action=_("Review the integration again: a new decision, or a new risk acceptance by the risk "
                         "owner."), after=after, integration=integration, now=now))
        else:
            out.append(record(
                kind=RISK_ACCEPTANCE_EXPIRING, severity="medium",
                key=f"risk_acceptance_expiring:{acceptance.pk}:{expires.isoformat()}", occurrence=occurrence,
                title=_("%(integration)s: risk acceptance expires %(when)s") % {**facts,
                                                                               "when": events.in_days(days)},
                detail=_("Risk owner: %(owner)s; the risk acceptance is valid until %(date)s.") % facts,
                action=_("Start the new review in time, or have the risk owner renew the acceptance."),
                after=after, integration=integration, now=now))
    return out


def register() -> None:
    """Called from ``AssessmentsConfig.ready()``."""
    for key, spec in KINDS.items():
        registry.event_kinds.register(key, spec)
    for key, kind, run, label, order in (
            ("assessments.vendor_certifications", VENDOR_CERT_EXPIRING, vendor_certifications,
             gettext_lazy("Vendor certifications"), 20),
            ("assessments.overdue_reviews", REVIEW_OVERDUE, overdue_reviews, gettext_lazy("Overdue reviews"), 50),
            ("assessments.overdue_conditions", CONDITION_OVERDUE, overdue_conditions,
             gettext_lazy("Overdue conditions"), 60)):
        registry.calendar_checks.register(key, CalendarCheck(kinds=(kind,), run=run, label=label, order=order))
    registry.calendar_checks.register("assessments.risk_acceptances", CalendarCheck(
        kinds=(RISK_ACCEPTANCE_EXPIRING, RISK_ACCEPTANCE_LAPSED), run=risk_acceptances,
        label=gettext_lazy("Risk acceptances"), order=61))
