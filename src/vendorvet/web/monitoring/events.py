"""The monitoring sink: how events are stored (``core.events.record`` / ``resolve_where`` end here), and the
calendar sweep, which runs the calendar checks the apps registered (``registry.calendar_checks``).

Every event has a stable dedup key (one row per fact, per tenant) and an *occurrence* token (the scan
run, or the day of the calendar sweep). Recording the same occurrence twice changes nothing; a new
occurrence of an open fact increments its count (grouped, not repeated); a fact that comes back after it
was resolved reopens its event. Only creation and reopening raise alerts.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from vendorvet.web.core import events as core_events
from vendorvet.web.core.context import current_actor
from vendorvet.web.core.events import Recorded
from vendorvet.web.core.messages import encode
from vendorvet.web.core.registry import registry
from vendorvet.web.monitoring.conf import config  # noqa: F401  (re-exported)
from vendorvet.web.monitoring.models import EventState, MonitoringEvent

log = logging.getLogger(__name__)


def _actor_label() -> str:
    actor = current_actor()
    return actor.label[:150] if actor else ""


def record(*, kind: str, severity: str, key: str, occurrence: str, title, detail="", action="",
           before=None, after=None, integration=None, vendor=None, run=None, now=None, alert: bool = True) -> Recorded:
    """Create or update the event for ``key`` (see the module docstring); alerts when it fires anew.

    ``title``, ``detail`` and ``action`` are plain text or :class:`~vendorvet.web.core.messages.Msg`
    (stored as message and parameters, shown in the reader's language; the text fields keep it in the
    language active now).
    """
    now = now or timezone.now()
    texts = {name: encode(value) for name, value in (("title", title), ("detail", detail), ("action", action))
             if value and not isinstance(value, str)}
    values = dict(kind=kind, severity=severity, title=str(title)[:300], detail=str(detail or ""),
                  action=str(action or ""), texts=texts, before=before, after=after, integration=integration,
                  vendor=vendor or getattr(integration, "vendor", None), run=run)
    existing = MonitoringEvent.objects.filter(dedup_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                event = MonitoringEvent(dedup_key=key, first_seen=now, last_seen=now, last_occurrence=occurrence,
                                        **values)
                event.save()
        except IntegrityError:  # another worker recorded it at the same moment
            existing = MonitoringEvent.objects.get(dedup_key=key)
        else:
            if alert:
                _dispatch(event)
            return Recorded(event, True)
    # compare-and-swap on the occurrence: of two workers recording the same occurrence, one counts it
    updated = (MonitoringEvent.objects.filter(pk=existing.pk).exclude(last_occurrence=occurrence)
               .update(occurrences=F("occurrences") + 1, last_occurrence=occurrence, last_seen=now))
    event = MonitoringEvent.objects.get(pk=existing.pk)
    if not updated:
        return Recorded(event, False)
    reopen = event.state == EventState.RESOLVED or (
        event.state == EventState.SNOOZED and event.snoozed_until is not None and event.snoozed_until <= now)
    for name, value in values.items():
        setattr(event, name, value)
    if reopen:
        event.state, event.snoozed_until, event.state_changed_by = EventState.OPEN, None, _actor_label()
    event.save()
    if reopen and alert:
        _dispatch(event)
    return Recorded(event, reopen)


def _dispatch(event: MonitoringEvent) -> None:
    from vendorvet.web.monitoring import alerts

    alerts.dispatch(event)


def resolve_where(**filters) -> int:
    """Resolve open/acknowledged/snoozed events matching ``filters`` (the fact went away)."""
    n = 0
    for event in MonitoringEvent.objects.filter(**filters).exclude(state=EventState.RESOLVED):
        event.state, event.snoozed_until, event.state_changed_by = EventState.RESOLVED, None, _actor_label()
        event.save()
        n += 1
    return n


# --------------------------------------------------------------------------- calendar sweep

def sweep_calendar(today: dt.date | None = None, now=None) -> list[Recorded]:
    """Run the registered calendar checks for the active tenant; facts not seen today resolve their events."""
    today = today or timezone.localdate()
    occurrence = f"day:{today.isoformat()}"
    out: list[Recorded] = []
    for check in registry.sorted(registry.calendar_checks):
        out += check.run(today, occurrence, now)
    # facts not seen today are gone (certificate renewed, DPA signed, condition done …)
    resolve_where(kind__in=core_events.calendar_kinds(), last_occurrence__startswith="day:",
                  last_occurrence__lt=occurrence)
    return out


class Sink:
    """What ``MonitoringConfig.ready()`` registers as ``registry.hooks["events.sink"]``."""

    record = staticmethod(record)
    resolve_where = staticmethod(resolve_where)
