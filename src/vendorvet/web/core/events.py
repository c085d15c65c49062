"""Domain events: the one API every app uses to raise (and resolve) monitoring events.

The apps do not import monitoring. They call :func:`record` and :func:`resolve_where` here; the monitoring app
registers the implementation as the *sink* (``registry.hooks["events.sink"]``) from its ``AppConfig.ready()``.
With no sink registered (monitoring not installed), recording is a logged no-op.

What else the apps contribute to monitoring they register in :data:`~vendorvet.web.core.registry.registry`:

- ``event_kinds``: key → :class:`EventKind` (label, group, default severity). ``MonitoringEvent.kind`` and the
  alert rules' kind filter are validated against it, so a new kind needs no migration;
- ``calendar_checks``: key → :class:`CalendarCheck` (the event kinds it records and the function that records
  them for the active tenant on a given day); the monitoring sweep runs them and resolves what was not seen;
- ``alert_channels`` (monitoring's own channel classes, and any other app's).

A finished scan is announced with the :data:`scan_finished` signal (the scans app sends it), so monitoring
learns of it without importing scans.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils.translation import gettext_lazy

from vendorvet import content
from vendorvet.web.core.context import Actor
from vendorvet.web.core.messages import T as _  # rendered in the reader's language when shown
from vendorvet.web.core.registry import registry

log = logging.getLogger(__name__)

SINK = "events.sink"
TASK_ACTOR = "monitor"

# groups of event kinds (the filter and the rule form group them; the labels are shown to people)
GROUPS = {
    "scan": gettext_lazy("Scan changes"),
    "calendar": gettext_lazy("Calendar"),
    "supply_chain": gettext_lazy("Supply chain"),
    "legal": gettext_lazy("Legal"),
}

# hooks (``registry.hooks``) the scans app registers for monitoring and legal (which do not import scans)
HOOK_START_SCAN = "scans.start_scheduled"  # (integration) -> True if queued, False if refused (one is running …)
HOOK_RECORD_SCAN_CHANGES = "scans.record_changes"  # (run or run id) -> [Recorded]
HOOK_LATEST_DONE_RUNS = "scans.latest_done_runs"  # () -> {integration id: latest finished run id}
HOOK_LAST_SCANNED = "scans.last_finished"  # (integration) -> datetime of its latest finished scan, or None
HOOK_SCAN_LOCATIONS = "scans.locations"  # (integration) -> {country: [host …]} of its latest finished scan


def hook(name: str, default=None):
    """The callable registered as ``name`` in ``registry.hooks``, or ``default`` (the app is not installed)."""
    return registry.hooks.get(name, default)


# sent by the scans app when a scan run is done (``run``: the ScanRun, in its tenant's session)
scan_finished = Signal()


@dataclass(frozen=True)
class EventKind:
    """A kind of monitoring event, registered by the app that raises it."""

    label: Any  # gettext_lazy
    group: str = "scan"
    severity: str = "medium"  # the default severity; each event still states its own
    order: int = 100

    @property
    def group_label(self):
        return GROUPS.get(self.group, self.group)


@dataclass(frozen=True)
class CalendarCheck:
    """A calendar fact check: ``run(today, occurrence, now) -> list[Recorded]`` records the facts that hold
    today (for the active tenant); events of ``kinds`` not seen on a day are resolved by the sweep."""

    kinds: tuple[str, ...]
    run: Callable[..., list]
    label: Any = ""
    order: int = 100


@dataclass
class Recorded:
    event: Any  # the stored event (None when no sink is installed)
    fired: bool  # created or reopened: alerts were raised


def sink():
    return registry.hooks.get(SINK)


def record(*, kind: str, severity: str, key: str, occurrence: str, title, detail="", action="", before=None,
           after=None, integration=None, vendor=None, run=None, now=None, alert: bool = True) -> Recorded:
    """Create or update the event with dedup ``key``; alerts when it fires anew (see the monitoring sink).

    ``title``, ``detail`` and ``action`` are plain text or :class:`~vendorvet.web.core.messages.Msg`
    (rendered in the reader's language when shown). ``kind`` must be registered in ``registry.event_kinds``.
    """
    if kind not in registry.event_kinds:
        raise ValueError(f"unregistered event kind {kind!r}")
    target = sink()
    if target is None:
        log.info("no monitoring sink installed: event %s (%s) not recorded", key, kind)
        return Recorded(None, False)
    return target.record(kind=kind, severity=severity, key=key, occurrence=occurrence, title=title, detail=detail,
                         action=action, before=before, after=after, integration=integration, vendor=vendor, run=run,
                         now=now, alert=alert)


def resolve_where(**filters) -> int:
    """Resolve the active tenant's unresolved events matching ``filters`` (field lookups: ``kind``,
    ``dedup_key``, ``dedup_key__in`` …): the fact went away. Returns how many were resolved."""
    target = sink()
    if target is None:
        log.info("no monitoring sink installed: nothing to resolve for %s", filters)
        return 0
    return target.resolve_where(**filters)


# --------------------------------------------------------------------------- kinds

def kind_label(key: str):
    spec = registry.event_kinds.get(key)
    return spec.label if spec is not None else key


def kind_choices() -> list[tuple[str, Any]]:
    """(key, label) of every registered kind, ordered by group and order (built at call time)."""
    order = list(GROUPS)
    items = sorted(registry.event_kinds.items(),
                   key=lambda kv: (order.index(kv[1].group) if kv[1].group in order else len(order), kv[1].order))
    return [(key, spec.label) for key, spec in items]


def validate_kind(value: str) -> None:
    if value not in registry.event_kinds:
        raise ValidationError(gettext_lazy("%(value)s is not a known kind of event."), params={"value": value},
                              code="invalid_choice")


def calendar_kinds() -> list[str]:
    """The kinds the registered calendar checks record."""
    return sorted({kind for check in registry.calendar_checks.values() for kind in check.kinds})


# --------------------------------------------------------------------------- helpers for recorders

def calendar_config() -> dict:
    """The calendar thresholds (``content/monitoring.yaml``: days of warning before an expiry …)."""
    return content.load("monitoring")["calendar"]


def in_days(days: int):
    """“in N days” / “N days ago” as a message rendered in the reader's language."""
    return _("in %(n)d days") % {"n": days} if days >= 0 else _("%(n)d days ago") % {"n": -days}


def installation_language():
    """Event texts and alerts written in the background use the installation's language (VENDORVET_LANGUAGE)."""
    from django.conf import settings
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)


def task_actor() -> Actor:
    """The background actor that starts scans and records events on a tenant's behalf."""
    return Actor(kind="task", label=TASK_ACTOR, role="admin")
