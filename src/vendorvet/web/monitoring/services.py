"""User actions on monitoring: acknowledge, snooze, resolve events; alert rules; settings.

Every interface (web, API, CLI) goes through these functions, which check the role.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vendorvet.web.accounts import roles
from vendorvet.web.core.context import current_actor
from vendorvet.web.inventory.services import delete_object, save_object
from vendorvet.web.monitoring.models import AlertRule, EventState, MonitoringEvent, MonitoringSettings

ADMIN_PERMISSION = roles.MANAGE_MEMBERS  # rules and settings: tenant administration
ACTIONS = ("acknowledge", "snooze", "resolve", "reopen")
MAX_SNOOZE_DAYS = 365


class ActionError(ValueError):
    """An event action that does not apply; the message is for the user."""


def change_state(event: MonitoringEvent, action: str, days: int | None = None, now=None) -> MonitoringEvent:
    """Acknowledge, snooze (for ``days``), resolve or reopen an event (needs ``change``); logged in the history."""
    from django.utils.translation import gettext as _

    roles.require(roles.CHANGE)
    now = now or timezone.now()
    if action not in ACTIONS:
        raise ActionError(_("Unknown action."))
    if action == "snooze":
        if not days or not 1 <= int(days) <= MAX_SNOOZE_DAYS:
            raise ActionError(_("Snooze for 1 to %(max)d days.") % {"max": MAX_SNOOZE_DAYS})
        event.state, event.snoozed_until = EventState.SNOOZED, now + dt.timedelta(days=int(days))
    else:
        event.state = {"acknowledge": EventState.ACKNOWLEDGED, "resolve": EventState.RESOLVED,
                       "reopen": EventState.OPEN}[action]
        event.snoozed_until = None
    actor = current_actor()
    event.state_changed_by = actor.label[:150] if actor else ""
    event.change_logged = True  # a person's decision: into the change history
    event.save()
    return event


BULK_ACTIONS = ("acknowledge", "snooze", "resolve")
MAX_BULK = 500


def bulk_change_state(ids, action: str, days: int | None = None, now=None) -> int:
    """Acknowledge, snooze or resolve several of the active tenant's events at once (needs ``change``): all or
    nothing (an unknown id or a wrong action changes none). Returns how many changed."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    roles.require(roles.CHANGE)
    if action not in BULK_ACTIONS:
        raise ActionError(_("Choose acknowledge, snooze or resolve."))
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        raise ActionError(_("Choose the events by their numbers.")) from None
    if not wanted:
        raise ActionError(_("Choose at least one event."))
    if len(wanted) > MAX_BULK:
        raise ActionError(_("Choose at most %(max)d events at once.") % {"max": MAX_BULK})
    with transaction.atomic():
        found = list(MonitoringEvent.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
        if len(found) != len(wanted):  # another tenant's or a deleted event: nothing is changed
            raise ActionError(_("Some of the chosen events do not exist (any more)."))
        for event in found:
            change_state(event, action, days=days, now=now)
    return len(found)


def wake_snoozed(now=None, tenant_ids: list[int] | None = None) -> int:
    """Snoozed events whose time is up are open again: the active tenant's, or those of ``tenant_ids`` (the
    provider view; the caller has checked the memberships)."""
    now = now or timezone.now()
    events = (MonitoringEvent.objects if tenant_ids is None
              else MonitoringEvent.all_tenants.filter(tenant_id__in=tenant_ids))
    due = events.filter(state=EventState.SNOOZED, snoozed_until__lte=now)
    if not due.exists():  # a read first: pages that call this need no write lock when nothing is due
        return 0
    return due.update(state=EventState.OPEN, snoozed_until=None)


def save_rule(rule: AlertRule) -> AlertRule:
    roles.require(ADMIN_PERMISSION)
    return save_object(rule, creating=rule.pk is None)


def delete_rule(rule: AlertRule) -> None:
    roles.require(ADMIN_PERMISSION)
    delete_object(rule)


def save_settings(obj: MonitoringSettings) -> MonitoringSettings:
    roles.require(ADMIN_PERMISSION)
    return save_object(obj, creating=obj.pk is None)


def can_administer() -> bool:
    return roles.has_perm(ADMIN_PERMISSION)
