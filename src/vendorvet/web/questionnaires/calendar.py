"""What the questionnaires tell monitoring: a questionnaire due soon, and one overdue (calendar checks); the
reminder e-mails to the vendor go out from the same check, each once (``services.due_reminders``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendorvet.web.core import events
from vendorvet.web.core.events import CalendarCheck, EventKind, Recorded, record
from vendorvet.web.core.messages import T as _
from vendorvet.web.core.registry import registry

DUE_SOON, OVERDUE = "questionnaire_due_soon", "questionnaire_overdue"
KINDS = {
    DUE_SOON: EventKind(gettext_lazy("Vendor questionnaire due soon"), "calendar", "low", 54),
    OVERDUE: EventKind(gettext_lazy("Vendor questionnaire overdue"), "calendar", "medium", 55),
}


def questionnaires(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.questionnaires import services
    from vendorvet.web.questionnaires.models import Questionnaire, Status

    out = []
    for q in Questionnaire.objects.filter(status__in=[Status.SENT, Status.OPENED, Status.IN_PROGRESS,
                                                      Status.IN_CLARIFICATION]).select_related(
            "assessment__integration__vendor"):
        days = (q.due_date - today).days
        integration = q.assessment.integration
        facts = {"integration": integration, "vendor": integration.vendor, "date": q.due_date.isoformat(),
                 "when": events.in_days(days)}
        if days < 0:
            out.append(record(
                kind=OVERDUE, severity="medium", key=f"questionnaire_overdue:{q.pk}:{q.due_date.isoformat()}",
                occurrence=occurrence, title=_("%(integration)s: vendor questionnaire overdue since %(date)s") % facts,
                detail=_("%(vendor)s has not submitted the questionnaire due on %(date)s.") % facts,
                action=_("Call the vendor contact, or extend the due date."),
                after={"due": q.due_date.isoformat(), "status": q.status}, integration=integration, now=now))
        elif days <= services.remind_days():
            out.append(record(
                kind=DUE_SOON, severity="low", key=f"questionnaire_due:{q.pk}:{q.due_date.isoformat()}",
                occurrence=occurrence, title=_("%(integration)s: vendor questionnaire due %(when)s") % facts,
                detail=_("%(vendor)s was reminded by e-mail; the questionnaire is due on %(date)s.") % facts,
                action=_("Check the answers once the vendor submits."),
                after={"due": q.due_date.isoformat(), "status": q.status}, integration=integration, now=now))
    services.due_reminders(today)  # the e-mails to the vendor, each once
    return out


def register() -> None:
    for key, spec in KINDS.items():
        registry.event_kinds.register(key, spec)
    registry.calendar_checks.register("questionnaires.due", CalendarCheck(
        kinds=(DUE_SOON, OVERDUE), run=questionnaires, label=gettext_lazy("Vendor questionnaires"), order=70))
