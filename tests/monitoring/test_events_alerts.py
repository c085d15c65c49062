"""Events are deduplicated and grouped; alerts go out once per firing, through real local receivers."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from tests.conftest import acting

def parsed(message):
    """The received SMTP data as an e-mail message (headers decoded)."""
    import email
    import email.policy

    return email.message_from_bytes(message["data"], policy=email.policy.default)


pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def fire(integration, occurrence, key="finding_new:x", severity="high", **kw):
    from vendorvet.web.monitoring import events

    return events.record(kind="finding_new", severity=severity, key=key, occurrence=occurrence,
                         title=kw.pop("title", "HSTS missing"), detail="http.hsts changed from pass to fail",
                         action="Send HSTS.", integration=integration, **kw)


def test_same_change_is_one_event_and_a_repeating_one_is_counted(tenant_a, make_integration, allow_private,
                                                                 immediate_tasks, receiver, webhook_rule):
    from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent

    port, rec = receiver
    webhook_rule(tenant_a, port)
    integration = make_integration(tenant_a)
    with acting(tenant_a, kind="task"):
        first = fire(integration, "run:1")
        again = fire(integration, "run:1")  # the same run recorded twice (e.g. a retried task)
        assert first.fired and not again.fired
        later = fire(integration, "run:2")  # the same fact in the next run: counted, no new alert
        assert not later.fired
        event = MonitoringEvent.objects.get()
        assert (event.occurrences, event.state) == (2, "open")
        assert AlertDelivery.objects.filter(state="delivered").count() == 1
        # resolved, then back: reopened (same event), alerted again
        event.state = "resolved"
        event.save()
        back = fire(integration, "run:3")
        assert back.fired and MonitoringEvent.objects.count() == 1
        assert MonitoringEvent.objects.get().occurrences == 3
    assert len(rec.succeeded) == 2
    assert AlertDelivery.all_tenants.filter(state="delivered").count() == 2


def test_webhook_is_signed_retried_with_backoff_and_delivered_once(tenant_a, make_integration, allow_private,
                                                                   immediate_tasks, flaky_receiver, webhook_rule):
    from vendorvet.web.monitoring import alerts
    from vendorvet.web.monitoring.models import AlertDelivery

    port, rec = flaky_receiver
    webhook_rule(tenant_a, port)
    integration = make_integration(tenant_a, name="Payroll API")
    with acting(tenant_a, kind="task"):
        fire(integration, "run:7", title="Payroll API: HSTS missing")
        delivery = AlertDelivery.objects.get()
        assert (delivery.state, delivery.attempts) == ("pending", 1)
        assert "HTTP 503" in delivery.last_error and delivery.response_status == 503
        wait = delivery.next_attempt - timezone.now()
        assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)  # first back-off step
        assert alerts.retry_due() == 0  # not yet due
        assert alerts.retry_due(now=delivery.next_attempt + dt.timedelta(seconds=1)) == 1
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.response_status) == ("delivered", 2, 204)
        assert alerts.retry_due(now=timezone.now() + dt.timedelta(days=1)) == 0  # nothing left to send
    assert [r["answered"] for r in rec.requests] == [503, 204]
    assert AlertDelivery.all_tenants.filter(state="delivered").count() == 1
    body = rec.requests[1]["body"]
    expected = "sha256=" + hmac.new(b"s3cret-for-tests", body, hashlib.sha256).hexdigest()
    assert rec.requests[1]["headers"]["X-Vendorvet-Signature"] == expected
    assert rec.requests[0]["body"] == body  # the retry sends the same body
    data = json.loads(body)
    assert data["event"]["kind"] == "finding_new" and data["event"]["what_to_do"] == "Send HSTS."
    assert data["integration"] == {"id": integration.pk, "name": "Payroll API"}
    assert data["link"] == "http://localhost:8000" + integration.get_absolute_url()


def test_backoff_doubles_and_gives_up(tenant_a, make_integration, allow_private, immediate_tasks, webhook_rule):
    from vendorvet.web.monitoring import alerts
    from vendorvet.web.monitoring.models import AlertDelivery

    webhook_rule(tenant_a, 9)  # nothing listens on port 9 (discard): connection refused
    integration = make_integration(tenant_a)
    with acting(tenant_a, kind="task"):
        fire(integration, "run:1")
        delays, now = [], timezone.now()
        for _ in range(5):
            d = AlertDelivery.objects.get()
            delays.append(round((d.next_attempt - now).total_seconds() / 60))
            now = d.next_attempt + dt.timedelta(seconds=1)
            alerts.retry_due(now=now)
        d = AlertDelivery.objects.get()
    assert delays == [1, 2, 4, 8, 16]
    assert (d.state, d.attempts, d.next_attempt) == ("failed", 6, None)


def test_webhook_to_internal_address_is_refused_without_the_tenant_setting(tenant_a, make_integration,
                                                                          immediate_tasks, receiver, webhook_rule):
    from vendorvet.web.monitoring.models import AlertDelivery

    port, rec = receiver
    webhook_rule(tenant_a, port)
    with acting(tenant_a, kind="task"):
        fire(make_integration(tenant_a), "run:1")
        delivery = AlertDelivery.objects.get()
    assert delivery.state == "pending" and "SSRF guard" in delivery.last_error
    assert rec.requests == []


@pytest.mark.parametrize("channel", ["slack", "teams"])
def test_slack_and_teams_formats(channel, tenant_a, make_integration, allow_private, immediate_tasks, receiver,
                                 webhook_rule):
    port, rec = receiver
    webhook_rule(tenant_a, port, channel=channel)
    integration = make_integration(tenant_a, name="CRM")
    with acting(tenant_a, kind="task"):
        fire(integration, "run:1", title="CRM: TLS 1.0 enabled")
    [request] = rec.requests
    assert "X-Vendorvet-Signature" not in request["headers"]
    data = json.loads(request["body"])
    link = integration.get_absolute_url()
    if channel == "slack":
        assert data["text"].endswith("CRM: TLS 1.0 enabled")
        text = data["blocks"][0]["text"]["text"]
        assert "Send HSTS." in text and link in text
    else:
        card = data["attachments"][0]
        assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert card["content"]["body"][0]["text"] == "CRM: TLS 1.0 enabled"
        assert card["content"]["actions"][0]["url"].endswith(link)


def test_email_immediately_and_as_daily_digest_through_smtp(tenant_a, admin_a, make_integration, immediate_tasks,
                                                           smtp):
    from vendorvet.web.monitoring import alerts
    from vendorvet.web.monitoring.models import AlertDelivery, AlertRule

    integration = make_integration(tenant_a, name="HR Portal")
    with acting(tenant_a, kind="task"):
        fire(integration, "run:1", key="a", severity="high", title="HR Portal: certificate expired")
        fire(integration, "run:1", key="b", severity="low", title="HR Portal: grade B → A")
        rules = {r.digest: r for r in AlertRule.objects.all()}  # the defaults were created
        assert set(rules) == {True, False}
        # immediate: only the high one, to the administrators
        assert len(smtp.messages) == 1
        message = smtp.messages[0]
        assert message["to"] == ["anna.admin@example.test"]
        text = parsed(message).get_content()
        assert "HR Portal: certificate expired" in text and "Send HSTS." in text
        assert "http://localhost:8000" + integration.get_absolute_url() in text
        assert AlertDelivery.objects.filter(state="digest").count() == 2
        assert alerts.send_digests() == 1
        assert alerts.send_digests() == 0  # once a day
    assert len(smtp.messages) == 2
    digest = parsed(smtp.messages[1])
    assert digest["Subject"] == "[vendorvet] Daily monitoring digest: 2 changes"
    digest = digest.get_content()
    assert "HR Portal: certificate expired" in digest and "HR Portal: grade B" in digest
    assert AlertDelivery.all_tenants.filter(state="delivered").count() == 3


def test_events_are_tenant_scoped(tenant_a, tenant_b, make_integration, immediate_tasks):
    from vendorvet.web.monitoring.models import MonitoringEvent

    with acting(tenant_a, kind="task"):
        fire(make_integration(tenant_a), "run:1", key="same-key")
    with acting(tenant_b, kind="task"):
        fire(make_integration(tenant_b, name="Other"), "run:1", key="same-key")
        assert MonitoringEvent.objects.count() == 1
    assert MonitoringEvent.all_tenants.count() == 2


def test_a_delivery_whose_worker_died_is_sent_after_its_lease(tenant_a, make_integration, allow_private, receiver,
                                                              webhook_rule, settings):
    """A worker claims a delivery (attempt counted, 5-minute lease) and is killed before sending: the retry
    sweep sends it once the lease is over — once, even if two sweeps run."""
    from django_tasks import task_backends

    from vendorvet.web.monitoring import alerts
    from vendorvet.web.monitoring.models import AlertDelivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    port, rec = receiver
    webhook_rule(tenant_a, port)
    with acting(tenant_a, kind="task"):
        fire(make_integration(tenant_a), "run:1")
        delivery = AlertDelivery.objects.get()
        claimed_at = timezone.now()
        AlertDelivery.objects.filter(pk=delivery.pk).update(  # what deliver() does before sending
            attempts=1, next_attempt=claimed_at + dt.timedelta(minutes=5))
        assert alerts.retry_due(now=claimed_at + dt.timedelta(minutes=4)) == 0  # still leased
        later = claimed_at + dt.timedelta(minutes=6)
        assert alerts.retry_due(now=later) == 1
        assert alerts.retry_due(now=later) == 0
        delivery.refresh_from_db()
    task_backends["default"].clear()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)
    assert len(rec.requests) == 1
