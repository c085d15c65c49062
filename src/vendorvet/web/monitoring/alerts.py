"""Alerts: matching events to the tenant's rules, one delivery record per (rule, event, occurrence), sending
through the rule's channel (``registry.alert_channels``: e-mail, signed JSON webhook, Slack, Microsoft Teams …,
see :mod:`vendorvet.web.monitoring.channels`), retries with back-off and the daily digests.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from vendorvet.web.core.i18n import content_language
from vendorvet.web.monitoring import channels
from vendorvet.web.monitoring.channels.base import DeliveryError, event_data
from vendorvet.web.monitoring.conf import config
from vendorvet.web.monitoring.models import (
    SEVERITY_RANK,
    AlertDelivery,
    AlertRule,
    DeliveryState,
    MonitoringEvent,
)

log = logging.getLogger(__name__)


def _config() -> dict:
    return config()["webhook"]


# --------------------------------------------------------------------------- rules

def ensure_default_rules() -> list[AlertRule]:
    """The tenant's rules; the defaults from ``content/monitoring.yaml`` are created the first time."""
    rules = list(AlertRule.objects.all())
    if rules:
        return rules
    lang = content_language()
    for spec in config()["default_rules"]:
        rule = AlertRule(name=spec["name"][lang], channel=spec["channel"], min_severity=spec["min_severity"],
                         kinds=list(spec.get("kinds") or []), digest=bool(spec.get("digest")))
        rule.save()
        rules.append(rule)
    return rules


def matches(rule: AlertRule, event: MonitoringEvent) -> bool:
    if not rule.enabled:
        return False
    if rule.kinds and event.kind not in rule.kinds:
        return False
    return SEVERITY_RANK.get(event.severity, 0) >= SEVERITY_RANK.get(rule.min_severity, 0)


def dispatch(event: MonitoringEvent) -> list[AlertDelivery]:
    """Create the deliveries for a newly fired event and send the immediate ones."""
    created = []
    for rule in ensure_default_rules():
        if not matches(rule, event):
            continue
        channel = channels.get(rule.channel)
        if channel is None:  # a channel no longer installed: nothing to send it through
            log.warning("alert rule %s: unknown channel %r", rule.pk, rule.channel)
            continue
        digest = channel.supports_digest and rule.digest
        try:
            with transaction.atomic():
                delivery = AlertDelivery(rule=rule, event=event, occurrence=event.last_occurrence,
                                         channel=rule.channel,
                                         state=DeliveryState.DIGEST if digest else DeliveryState.PENDING,
                                         next_attempt=None if digest else timezone.now())
                delivery.save()
        except IntegrityError:  # already created for this occurrence: never twice
            continue
        created.append(delivery)
    for delivery in created:
        if delivery.state == DeliveryState.PENDING:
            _enqueue(delivery)
    return created


@task()
def deliver_alert(delivery_id: int) -> dict:
    """The task: send one alert delivery in its tenant; a failure is recorded and retried later with back-off."""
    from vendorvet.web.core.context import tenant_session
    from vendorvet.web.core.events import installation_language, task_actor

    row = AlertDelivery.all_tenants.select_related("tenant").filter(pk=delivery_id).first()
    if row is None:
        return {"delivery": delivery_id, "state": "gone"}
    with tenant_session(row.tenant, task_actor()), installation_language():
        delivery = deliver(delivery_id)
    return {"delivery": delivery_id, "state": delivery.state, "attempts": delivery.attempts}


def _enqueue(delivery: AlertDelivery) -> None:
    from vendorvet.web.core import queue

    try:
        queue.enqueue(deliver_alert, delivery.pk)
    except Exception:  # the tick retries pending deliveries; the event is recorded either way
        log.exception("could not enqueue alert delivery %s", delivery.pk)


# --------------------------------------------------------------------------- content of an alert

def payload(event: MonitoringEvent) -> dict:
    """The generic webhook body (JSON)."""
    return event_data(event)


def rule_language(rule: AlertRule) -> str:
    """The language a rule's alerts are written in: the rule's, else the installation's."""
    return rule.language or settings.LANGUAGE_CODE


# --------------------------------------------------------------------------- sending

def deliver(delivery_id: int, now=None) -> AlertDelivery:
    """Send one pending delivery (the task body); on failure schedule the next attempt with back-off."""
    now = now or timezone.now()
    delivery = (AlertDelivery.objects.select_related("rule", "event__integration", "event__vendor", "event__tenant")
                .filter(pk=delivery_id).first())
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return delivery
    # claim this attempt by compare-and-swap on the attempt counter; the lease (next_attempt in 5 minutes)
    # keeps the retry sweep away while it is being sent
    claimed = (AlertDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING, attempts=delivery.attempts)
               .update(attempts=delivery.attempts + 1, next_attempt=now + dt.timedelta(minutes=5)))
    if not claimed:  # another worker is on it
        delivery.refresh_from_db()
        return delivery
    delivery.attempts += 1
    try:
        with translation.override(rule_language(delivery.rule)):
            status = _send(delivery)
    except Exception as exc:
        max_attempts = int(_config()["max_attempts"])
        delay = int(_config()["backoff_seconds"]) * 2 ** (delivery.attempts - 1)
        gave_up = delivery.attempts >= max_attempts
        AlertDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED if gave_up else DeliveryState.PENDING,
            next_attempt=None if gave_up else now + dt.timedelta(seconds=delay),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            response_status=getattr(exc, "status", None))
        log.warning("alert delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
    else:
        AlertDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.DELIVERED, delivered_at=now,
                                                             next_attempt=None, response_status=status,
                                                             last_error="")
    delivery.refresh_from_db()
    return delivery


def _send(delivery: AlertDelivery) -> int | None:
    channel = channels.get(delivery.rule.channel)
    if channel is None:
        raise DeliveryError(_("the alert channel %(channel)s is not installed") % {"channel": delivery.rule.channel})
    return channel.deliver(delivery.rule, delivery.event)


def retry_due(now=None) -> int:
    """Send the active tenant's pending deliveries whose next attempt is due (the back-off retries)."""
    now = now or timezone.now()
    due = list(AlertDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt__lte=now)
               .values_list("pk", flat=True))
    for pk in due:
        deliver(pk, now=now)
    return len(due)


def send_digests(now=None) -> int:
    """Once a day per digest rule: one message with the events collected since the last digest.

    A digest that cannot be sent (no recipients, the mail server refuses) is not marked delivered: its events
    wait, with the reason stored, and the next tick tries again."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for rule in AlertRule.objects.filter(enabled=True, digest=True):
        channel = channels.get(rule.channel)
        if rule.last_digest == today or channel is None or not channel.supports_digest:
            continue
        waiting = list(AlertDelivery.objects.filter(rule=rule, state=DeliveryState.DIGEST)
                       .select_related("event__integration", "event__vendor").order_by("event__severity", "pk"))
        if waiting:
            try:
                with translation.override(rule_language(rule)):
                    channel.deliver_digest(rule, [d.event for d in waiting])
            except Exception as exc:
                log.warning("digest for rule %s failed: %s", rule.pk, exc)
                AlertDelivery.objects.filter(pk__in=[d.pk for d in waiting]).update(
                    last_error=f"{type(exc).__name__}: {exc}"[:2000])
                continue
            AlertDelivery.objects.filter(pk__in=[d.pk for d in waiting]).update(
                state=DeliveryState.DELIVERED, delivered_at=now, attempts=1, last_error="")
            sent += 1
        AlertRule.objects.filter(pk=rule.pk).update(last_digest=today)
    return sent
