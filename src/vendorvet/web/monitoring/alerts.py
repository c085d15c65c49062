"""Alerts: matching events to the tenant's rules, one delivery record per (rule, event, occurrence),
and the channels — e-mail (immediate or daily digest), signed JSON webhook, Slack, Microsoft Teams.

Webhook URLs are connected through the engine's SSRF guard (``engine.net``): a URL that resolves to an
internal address is refused unless the tenant allows internal targets (scan settings). Failed webhook
deliveries are retried with exponential back-off by the monitoring tick.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vendorvet.web.core.i18n import content_language
from vendorvet.web.monitoring.models import (
    SEVERITY_RANK,
    AlertDelivery,
    AlertRule,
    Channel,
    DeliveryState,
    MonitoringEvent,
)

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Vendorvet-Signature"


def _config() -> dict:
    from vendorvet.web.monitoring.events import config

    return config()["webhook"]


# --------------------------------------------------------------------------- rules

def ensure_default_rules() -> list[AlertRule]:
    """The tenant's rules; the defaults from ``content/monitoring.yaml`` are created the first time."""
    rules = list(AlertRule.objects.all())
    if rules:
        return rules
    from vendorvet.web.monitoring.events import config

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
        digest = rule.channel == Channel.EMAIL and rule.digest
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


def _enqueue(delivery: AlertDelivery) -> None:
    from vendorvet.web.monitoring import queue
    from vendorvet.web.monitoring.tasks import deliver_alert

    try:
        queue.enqueue(deliver_alert, delivery.pk)
    except Exception:  # the tick retries pending deliveries; the event is recorded either way
        log.exception("could not enqueue alert delivery %s", delivery.pk)


# --------------------------------------------------------------------------- content of an alert

def base_url() -> str:
    return (getattr(settings, "VENDORVET_BASE_URL", "") or "http://localhost:8000").rstrip("/")


def event_link(event: MonitoringEvent) -> str:
    if event.integration_id:
        return base_url() + event.integration.get_absolute_url()
    if event.vendor_id:
        return base_url() + event.vendor.get_absolute_url()
    return base_url() + event.get_absolute_url()


def payload(event: MonitoringEvent) -> dict:
    """The generic webhook body (JSON)."""
    return {
        "event": {
            "id": event.pk, "kind": event.kind, "severity": event.severity, "title": event.shown_title,
            "what_changed": event.shown_detail, "what_to_do": event.shown_action, "before": event.before,
            "after": event.after,
            "first_seen": event.first_seen.isoformat(), "last_seen": event.last_seen.isoformat(),
            "occurrences": event.occurrences, "state": event.state,
        },
        "integration": ({"id": event.integration_id, "name": event.integration.name}
                        if event.integration_id else None),
        "vendor": {"id": event.vendor_id, "name": event.vendor.name} if event.vendor_id else None,
        "tenant": event.tenant.slug,
        "link": event_link(event),
    }


def slack_payload(event: MonitoringEvent) -> dict:
    link = event_link(event)
    text = (f"*{event.shown_title}*\n{event.shown_detail}\n{_('What to do')}: {event.shown_action or '–'}\n"
            f"<{link}|{_('Open in vendorvet')}>")
    return {"text": f"[{event.get_severity_display()}] {event.shown_title}",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def teams_payload(event: MonitoringEvent) -> dict:
    link = event_link(event)
    return {
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": True,
                     "text": event.shown_title},
                    {"type": "TextBlock", "wrap": True, "text": event.shown_detail},
                    {"type": "FactSet", "facts": [
                        {"title": _("Severity"), "value": str(event.get_severity_display())},
                        {"title": _("What to do"), "value": event.shown_action or "–"}]},
                ],
                "actions": [{"type": "Action.OpenUrl", "title": _("Open in vendorvet"), "url": link}],
            },
        }],
    }


def rule_language(rule: AlertRule) -> str:
    """The language a rule's alerts are written in: the rule's, else the installation's."""
    return rule.language or settings.LANGUAGE_CODE


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def recipients(rule: AlertRule) -> list[str]:
    listed = [line.strip() for line in (rule.recipients or "").replace(",", "\n").splitlines() if line.strip()]
    if listed:
        return listed
    from vendorvet.web.accounts.models import Membership

    return sorted({m.user.email for m in Membership.objects.filter(role="admin").select_related("user")
                   if m.user.email and m.user.is_active})


# --------------------------------------------------------------------------- sending

class DeliveryError(Exception):
    pass


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
    rule, event = delivery.rule, delivery.event
    if rule.channel == Channel.EMAIL:
        to = recipients(rule)
        if not to:
            raise DeliveryError(_("no recipients: the rule lists none and no administrator has an e-mail address"))
        context = {"events": [event], "base_url": base_url(), "links": {event.pk: event_link(event)}}
        send_mail(subject=f"[vendorvet] {event.shown_title}"[:200],
                  message=render_to_string("monitoring/email/alert.txt", context),
                  from_email=None, recipient_list=to, fail_silently=False)
        return None
    body_obj = {Channel.WEBHOOK: payload, Channel.SLACK: slack_payload, Channel.TEAMS: teams_payload}[rule.channel](event)
    body = json.dumps(body_obj, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "vendorvet-monitoring"}
    if rule.channel == Channel.WEBHOOK and rule.secret:
        headers[SIGNATURE_HEADER] = sign(rule.secret, body)
    return post_json(rule.url, body, headers, allow_private=_private_allowed())


def _private_allowed() -> bool:
    from vendorvet.web.scans.services import scan_settings

    return scan_settings().allow_private_targets


class WebhookFailed(DeliveryError):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def post_json(url: str, body: bytes, headers: dict, allow_private: bool) -> int:
    """POST through a connection to an address vetted by the SSRF guard; 2xx or :class:`WebhookFailed`."""
    from vendorvet.engine.net import Resolver, connect_vetted

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookFailed(_("not an http(s) URL"))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    timeout = float(_config()["timeout_seconds"])
    sock = connect_vetted(Resolver(allow_private=allow_private, timeout=timeout), parts.hostname, port, timeout)
    if parts.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
    conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    conn.sock = sock
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("POST", path, body=body, headers={**headers, "Content-Length": str(len(body))})
        response = conn.getresponse()
        response.read(65536)
        if not 200 <= response.status < 300:
            raise WebhookFailed(f"HTTP {response.status}", response.status)
        return response.status
    finally:
        conn.close()


def retry_due(now=None) -> int:
    """Send the active tenant's pending deliveries whose next attempt is due (the back-off retries)."""
    now = now or timezone.now()
    due = list(AlertDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt__lte=now)
               .values_list("pk", flat=True))
    for pk in due:
        deliver(pk, now=now)
    return len(due)


def send_digests(now=None) -> int:
    """Once a day per digest rule: one e-mail with the events collected since the last digest."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for rule in AlertRule.objects.filter(enabled=True, digest=True, channel=Channel.EMAIL):
        if rule.last_digest == today:
            continue
        waiting = list(AlertDelivery.objects.filter(rule=rule, state=DeliveryState.DIGEST)
                       .select_related("event__integration", "event__vendor").order_by("event__severity", "pk"))
        if waiting:
            events = [d.event for d in waiting]
            to = recipients(rule)
            context = {"events": events, "base_url": base_url(), "links": {e.pk: event_link(e) for e in events}}
            try:
                with translation.override(rule_language(rule)):
                    send_mail(subject=_("[vendorvet] Daily monitoring digest: %(n)d changes") % {"n": len(events)},
                              message=render_to_string("monitoring/email/alert.txt", context),
                              from_email=None, recipient_list=to, fail_silently=False)
            except Exception as exc:
                log.warning("digest for rule %s failed: %s", rule.pk, exc)
                AlertDelivery.objects.filter(pk__in=[d.pk for d in waiting]).update(
                    last_error=f"{type(exc).__name__}: {exc}"[:2000])
                continue
            AlertDelivery.objects.filter(pk__in=[d.pk for d in waiting]).update(
                state=DeliveryState.DELIVERED, delivered_at=now, attempts=1)
            sent += 1
        AlertRule.objects.filter(pk=rule.pk).update(last_digest=today)
    return sent
