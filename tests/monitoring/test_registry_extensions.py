"""Adding an alert channel, or an event kind with its calendar check, is one new module each (issue 12).

The test-only channel (``example_channel.PagerChannel``) and kind (``example_kind``) are registered for the
duration of a test with ``registry.<collection>.temporarily(...)`` and show up in the rule form, the events
filter, the API schema and the CLI, and work end to end; nothing else in the product names them.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import ExitStack, contextmanager

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import acting
from tests.monitoring import example_kind
from tests.monitoring.example_channel import PagerChannel
from tests.web.conftest import login  # noqa: F401  (fixture)
from vendorvet.cli.main import main

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


@contextmanager
def extensions():
    from vendorvet.web.core.registry import registry

    with ExitStack() as stack:
        stack.enter_context(registry.alert_channels.temporarily("pager", PagerChannel()))
        stack.enter_context(registry.event_kinds.temporarily(example_kind.KIND, example_kind.SPEC))
        stack.enter_context(registry.calendar_checks.temporarily("tests.contacts", example_kind.CHECK))
        yield


def test_a_registered_channel_and_kind_appear_in_the_forms_and_the_events_filter(login, admin_a, tenant_a):
    admin = login(admin_a)
    before = admin.get("/monitoring/rules/new/").content.decode()
    assert 'value="pager"' not in before and f'value="{example_kind.KIND}"' not in before
    with extensions():
        form = admin.get("/monitoring/rules/new/").content.decode()
        assert 'value="pager"' in form and "Pager (test)" in form
        assert f'value="{example_kind.KIND}"' in form and "Vendor contact missing (test)" in form
        listing = admin.get("/monitoring/").content.decode()
        assert f'<option value="{example_kind.KIND}"' in listing
        saved = admin.post("/monitoring/rules/new/", {
            "name": "Pager", "enabled": "on", "channel": "pager", "min_severity": "low",
            "kinds": [example_kind.KIND], "url": "https://93.184.215.14/page"})
        assert saved.status_code == 302
    from vendorvet.web.monitoring.models import AlertRule

    with acting(tenant_a):
        rule = AlertRule.objects.get(name="Pager")
    assert (rule.channel, rule.kinds, rule.digest) == ("pager", [example_kind.KIND], False)
    # without the registration the channel is refused again (the registry is the list of choices)
    refused = admin.post("/monitoring/rules/new/", {"name": "Pager 2", "channel": "pager", "min_severity": "low",
                                                    "url": "https://93.184.215.14/page"})
    assert refused.status_code == 400


def test_a_registered_channel_and_kind_are_in_the_api_schema_and_the_api_accepts_them(admin_a, tenant_a):
    from tests.api.conftest import client_with, issue

    def schema() -> dict:
        response = Client().get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        return json.loads(response.content)

    plain = _all_enums(schema())
    assert "pager" not in plain and example_kind.KIND not in plain
    with extensions():
        doc = schema()
        values = _all_enums(doc)
        assert "pager" in values and example_kind.KIND in values
        kind_param = next(p for p in doc["paths"]["/api/monitoring-events/"]["get"]["parameters"]
                          if p["name"] == "kind")
        assert example_kind.KIND in kind_param["schema"]["enum"] and "finding_new" in kind_param["schema"]["enum"]
        _token, key = issue(tenant_a, admin_a)
        api = client_with(key)
        created = api.post("/api/alert-rules/", {"name": "Pager", "channel": "pager", "min_severity": "low",
                                                 "kinds": [example_kind.KIND], "url": "https://93.184.215.14/p"},
                           format="json")
        assert created.status_code == 201, created.content
        assert created.json()["channel"] == "pager" and created.json()["kinds"] == [example_kind.KIND]
    _token, key = issue(tenant_a, admin_a)
    refused = client_with(key).post("/api/alert-rules/", {"name": "Pager 2", "channel": "pager",
                                                          "min_severity": "low", "url": "https://93.184.215.14/p"},
                                    format="json")
    assert refused.status_code == 400 and "channel" in refused.json()


def _all_enums(node) -> list:
    """Every value of every ``enum`` in a schema document."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum" and isinstance(value, list):
                found += value
            else:
                found += _all_enums(value)
    elif isinstance(node, list):
        for item in node:
            found += _all_enums(item)
    return found


def test_a_registered_channel_and_kind_are_listed_by_the_cli(capsys):
    assert main(["monitor", "kinds", "--format", "json"]) == 0
    kinds = {row["kind"]: row for row in json.loads(capsys.readouterr().out)}
    assert example_kind.KIND not in kinds and kinds["tls_cert_expiring"]["calendar"] is True
    assert kinds["finding_new"]["calendar"] is False and kinds["vulnerability_new"]["group"] == "supply_chain"
    with extensions():
        assert main(["monitor", "kinds"]) == 0
        table = capsys.readouterr().out
        assert example_kind.KIND in table and "Vendor contact missing (test)" in table
        assert main(["monitor", "channels", "--format", "json"]) == 0
        channels = {row["channel"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(channels) == {"email", "webhook", "slack", "teams", "pager"}
    assert channels["pager"]["url"] is True and channels["email"]["digest"] is True


def test_the_sweep_runs_a_registered_calendar_check_and_alerts_through_a_registered_channel(
        tenant_a, make_vendor, allow_private, immediate_tasks, receiver):
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import AlertDelivery, AlertRule, MonitoringEvent

    port, rec = receiver
    vendor = make_vendor(tenant_a, name="Contactless GmbH")
    today = timezone.localdate()
    with extensions():
        with acting(tenant_a):
            AlertRule.objects.create(name="pager", channel="pager", min_severity="low", kinds=[example_kind.KIND],
                                     url=f"http://127.0.0.1:{port}/page")
        with acting(tenant_a, kind="task"):
            recorded = [r for r in events.sweep_calendar(today=today) if r.event.kind == example_kind.KIND]
            assert len(recorded) == 1 and recorded[0].fired and recorded[0].event.vendor == vendor
            delivery = AlertDelivery.objects.get(event=recorded[0].event)
        assert (delivery.state, delivery.channel) == ("delivered", "pager")
        [request] = rec.requests
        assert json.loads(request["body"]) == {"page": "Contactless GmbH: no contact address", "severity": "low",
                                               "kind": example_kind.KIND}
        with acting(tenant_a):
            vendor.name = "Contact GmbH"
            vendor.save()
        with acting(tenant_a, kind="task"):
            events.sweep_calendar(today=today + dt.timedelta(days=1))
            assert MonitoringEvent.objects.get(kind=example_kind.KIND).state == "resolved"


def test_event_kinds_are_validated_against_the_registry_without_a_migration(tenant_a, make_vendor):
    from django.core.exceptions import ValidationError

    from vendorvet.web.core import events as core_events
    from vendorvet.web.monitoring.models import AlertRule, MonitoringEvent

    vendor = make_vendor(tenant_a, name="Kind GmbH")
    now = timezone.now()
    with acting(tenant_a):
        event = MonitoringEvent(kind=example_kind.KIND, severity="low", dedup_key="x", title="t", vendor=vendor,
                                first_seen=now, last_seen=now)
        with pytest.raises(ValidationError) as refused:
            event.full_clean()
        assert "kind" in refused.value.message_dict
        with pytest.raises(ValidationError):
            AlertRule(name="r", kinds=[example_kind.KIND], channel="email").full_clean()
        with pytest.raises(ValueError):  # recording a kind nobody registered is a programming error
            core_events.record(kind=example_kind.KIND, severity="low", key="x", occurrence="o", title="t")
        with extensions():
            event.full_clean()
            AlertRule(name="r", kinds=[example_kind.KIND], channel="pager").full_clean()
            assert str(event.get_kind_display()) == "Vendor contact missing (test)"


def test_without_a_sink_recording_is_a_logged_no_op(tenant_a, caplog):
    import logging

    from vendorvet.web.core import events as core_events
    from vendorvet.web.core.registry import registry
    from vendorvet.web.monitoring.models import MonitoringEvent

    sink = registry.hooks[core_events.SINK]
    registry.hooks.unregister(core_events.SINK)
    try:
        with acting(tenant_a, kind="task"), caplog.at_level(logging.INFO, logger="vendorvet.web.core.events"):
            recorded = core_events.record(kind="finding_new", severity="high", key="k", occurrence="o", title="t")
            assert core_events.resolve_where(kind="finding_new") == 0
    finally:
        registry.hooks.register(core_events.SINK, sink)
    assert (recorded.event, recorded.fired) == (None, False)
    assert MonitoringEvent.all_tenants.count() == 0 and "no monitoring sink" in caplog.text
    with acting(tenant_a, kind="task"):  # with the sink back, the same call stores the event
        assert core_events.record(kind="finding_new", severity="high", key="k", occurrence="o", title="t").fired


def test_a_digest_rule_without_recipients_is_not_marked_delivered(tenant_a, make_integration, immediate_tasks,
                                                                 smtp):
    """Defect (issue 12): the digest of a rule with no recipients (and no administrator with an address) was
    marked delivered although nothing was sent."""
    from vendorvet.web.monitoring import alerts, events
    from vendorvet.web.monitoring.models import AlertDelivery, AlertRule

    integration = make_integration(tenant_a, name="Wiki")
    with acting(tenant_a):
        AlertRule.objects.create(name="digest", channel="email", digest=True, min_severity="low")
    with acting(tenant_a, kind="task"):
        events.record(kind="finding_new", severity="low", key="a", occurrence="run:1", title="Wiki: something",
                      integration=integration)
        assert AlertDelivery.objects.get().state == "digest"
        assert alerts.send_digests() == 0
        delivery = AlertDelivery.objects.get()
        assert delivery.state == "digest" and delivery.delivered_at is None
        assert "no recipients" in delivery.last_error
        assert AlertRule.objects.get().last_digest is None  # tried again at the next tick
        AlertRule.objects.filter(name="digest").update(recipients="it@example.test")
        assert alerts.send_digests() == 1
        assert AlertDelivery.objects.get().state == "delivered"
    assert len(smtp.messages) == 1 and smtp.messages[0]["to"] == ["it@example.test"]


def test_lease_recovery_runs_every_registered_recovery_hook(tenant_a):
    """The queue plumbing lives in core and knows no app: the scans app registered its lost-run recovery; a hook
    that fails is reported and does not stop the others; the monitoring tick counts what they queued again."""
    from vendorvet.web.core import queue
    from vendorvet.web.core.registry import registry
    from vendorvet.web.monitoring.scheduling import tick

    calls = []

    def requeue_two():
        calls.append("two")
        return {"requeued": 2}

    def broken():
        raise RuntimeError("queue unreachable")

    assert "scans.lost_runs" in registry.recovery_hooks
    with registry.recovery_hooks.temporarily("tests.broken", broken), \
            registry.recovery_hooks.temporarily("tests.two", requeue_two):
        reports = queue.recover_lost_work()
        assert reports["tests.two"] == {"requeued": 2} and "RuntimeError" in reports["tests.broken"]["error"]
        assert reports["scans.lost_runs"] == {"requeued": 0, "failed": 0} and queue.requeued(reports) == 2
        report = tick()
    assert calls == ["two", "two"] and report.runs_requeued == 2
    assert any("tests.broken" in error for error in report.errors)


def test_the_web_apps_send_http_only_through_the_engines_hardened_client():
    """One SSRF-safe client: no module of the web layer opens HTTP connections of its own."""
    import ast
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "src" / "vendorvet" / "web"
    forbidden = {"http.client", "urllib.request", "requests", "urllib3", "httpx", "ssl"}
    offenders = []
    for path in web.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(web)}: {n}" for n in names if n in forbidden]
    assert offenders == []
