"""What the legal app tells monitoring: its event kinds and calendar checks (contract deadlines, a missing
AVV/DPA where personal data is processed). Events go through :mod:`vendorvet.web.core.events`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendorvet.web.core import events
from vendorvet.web.core.events import CalendarCheck, Recorded, record
from vendorvet.web.core.messages import Labels, T as _  # texts rendered in the reader's language when shown
from vendorvet.web.core.registry import registry
from vendorvet.web.legal.kinds import CONTRACT_DEADLINE, DPA_MISSING, KINDS

PERSONAL_CATEGORIES = {"personal", "special_category", "health"}


def contract_deadlines(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.legal.services import due_reminders

    horizon = int(events.calendar_config()["contract_horizon_days"])
    out = []
    for due in due_reminders(horizon_days=horizon):
        contract, days = due["contract"], due["days"]
        out.append(record(
            kind=CONTRACT_DEADLINE, severity="high" if days <= 14 else "medium",
            key=f"contract:{contract.pk}:{due['kind']}:{due['date'].isoformat()}", occurrence=occurrence,
            title=_("%(vendor)s: %(contract)s — %(what)s %(when)s") % {
                "vendor": contract.vendor, "contract": contract.title, "when": events.in_days(days),
                "what": {"notice": _("notice deadline"), "renewal": _("automatic renewal"),
                         "expiry": _("contract ends")}.get(due["kind"], due["kind"])},
            detail=_("Date: %(date)s.") % {"date": due["date"].isoformat()},
            action=_("Decide whether to renew, renegotiate or give notice before the date."),
            after={"kind": due["kind"], "date": due["date"].isoformat(), "days_left": days},
            vendor=contract.vendor, now=now))
    return out


def missing_dpa(today, occurrence, now) -> list[Recorded]:
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.legal.models import Contract

    with_dpa = set(Contract.objects.filter(type=Contract.Type.DPA).values_list("vendor_id", flat=True))
    out = []
    for integration in Integration.objects.select_related("vendor").exclude(status__in=["rejected", "retired"]):
        personal = PERSONAL_CATEGORIES & set(integration.data_categories or [])
        if not personal or integration.vendor_id in with_dpa:
            continue
        out.append(record(
            kind=DPA_MISSING, severity="high", key=f"dpa_missing:{integration.pk}", occurrence=occurrence,
            title=_("%(integration)s: no AVV/DPA recorded") % {"integration": integration},
            detail=_("The integration processes personal data (%(categories)s), but no AVV/DPA with %(vendor)s "
                     "is recorded.") % {"categories": Labels("data_categories", sorted(personal)),
                                        "vendor": integration.vendor},
            action=_("Conclude an AVV/DPA under Art. 28 GDPR and record it in the vendor's contracts."),
            after={"data_categories": sorted(personal)}, integration=integration, now=now))
    return out



def register() -> None:
    """Called from ``LegalConfig.ready()``."""
    for key, spec in KINDS.items():
        registry.event_kinds.register(key, spec)
    registry.calendar_checks.register("legal.contract_deadlines", CalendarCheck(
        kinds=(CONTRACT_DEADLINE,), run=contract_deadlines, label=gettext_lazy("Contract deadlines"), order=30))
    registry.calendar_checks.register("legal.missing_dpa", CalendarCheck(
        kinds=(DPA_MISSING,), run=missing_dpa, label=gettext_lazy("Missing AVV/DPA"), order=40))
