"""Monitoring page, event actions, integration panel, rules and settings (web); the API; the CLI."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.conftest import acting
from tests.web.conftest import assert_csp_clean, login  # noqa: F401  (fixture)
from vendorvet.cli.main import main

def parsed(message):
    """The received SMTP data as an e-mail message (headers decoded)."""
    import email
    import email.policy

    return email.message_from_bytes(message["data"], policy=email.policy.default)


pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


@pytest.fixture
def events_a(tenant_a, make_integration, immediate_tasks):
    """Two events in tenant A (one high, one low) with a silent rule, so no alert goes anywhere."""
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import AlertRule

    integration = make_integration(tenant_a, name="Ticketing API")
    with acting(tenant_a, kind="task"):
        AlertRule.objects.create(name="off", enabled=False)
        high = events.record(kind="finding_new", severity="high", key="k1", occurrence="run:1",
                             title="Ticketing API: TLS 1.0 enabled", detail="tls.protocol.tls10 pass → fail",
                             action="Disable TLS 1.0.", before={"status": "pass"}, after={"status": "fail"},
                             integration=integration).event
        low = events.record(kind="cert_rotated", severity="info", key="k2", occurrence="run:1",
                            title="Ticketing API: TLS certificate replaced", integration=integration).event
    return integration, high, low


def test_monitoring_page_lists_filters_and_acts_with_role_checks(login, admin_a, assessor_a, auditor_a, events_a):
    integration, high, low = events_a
    auditor = login(auditor_a)
    page = auditor.get("/monitoring/")
    html = page.content.decode()
    assert page.status_code == 200 and "Ticketing API: TLS 1.0 enabled" in html
    assert "Acknowledge" not in html  # the auditor may only look
    assert_csp_clean(html)
    assert "TLS certificate replaced" not in auditor.get("/monitoring/?severity=high").content.decode()
    assert auditor.post(f"/monitoring/events/{high.pk}/state/", {"action": "acknowledge"}).status_code == 403

    assessor = login(assessor_a)
    assert "Acknowledge" in assessor.get("/monitoring/").content.decode()
    response = assessor.post(f"/monitoring/events/{high.pk}/state/", {"action": "snooze", "days": "3",
                                                                     "next": "/monitoring/"})
    assert response.status_code == 302 and response["Location"] == "/monitoring/"
    high.refresh_from_db()
    assert high.state == "snoozed" and high.snoozed_until and high.state_changed_by == "arne.assessor"
    assert assessor.post(f"/monitoring/events/{high.pk}/state/", {"action": "snooze", "days": "0"}).status_code == 400
    assert assessor.post(f"/monitoring/events/{low.pk}/state/",
                         {"action": "resolve", "next": "https://evil.example/"})["Location"] == \
        f"/monitoring/events/{low.pk}/"
    low.refresh_from_db()
    assert low.state == "resolved"
    listed = assessor.get("/monitoring/").content.decode()  # default: open and acknowledged only
    assert "TLS 1.0 enabled" not in listed and "certificate replaced" not in listed
    assert "TLS 1.0 enabled" in assessor.get("/monitoring/?state=snoozed").content.decode()

    from vendorvet.web.core.models import ObjectChange

    change = ObjectChange.all_tenants.filter(changed_object_id=high.pk, actor_label="arne.assessor").get()
    assert change.postchange_data["state"] == "snoozed"  # a person's decision is in the history

    detail = assessor.get(f"/monitoring/events/{high.pk}/").content.decode()
    assert "Disable TLS 1.0." in detail and "No alert was sent" in detail


def test_integration_panel_shows_the_timeline_with_before_and_after(login, auditor_a, events_a, admin_b):
    integration, high, low = events_a
    client = login(auditor_a)
    page = client.get(f"/integrations/{integration.pk}/").content.decode()
    assert f'hx-get="/monitoring/integrations/{integration.pk}/panel/"' in page
    panel = client.get(f"/monitoring/integrations/{integration.pk}/panel/")
    html = panel.content.decode()
    assert panel.status_code == 200
    assert '<section class="card" id="monitoring-panel">' in html
    assert "TLS 1.0 enabled" in html and "Status: passed" in html  # before/after as text, not a Python dict
    assert "{&#x27;" not in html
    # no endpoint: the panel says there is nothing to re-scan (issue 13: the schedule as it is)
    assert "Not re-scanned automatically: there is nothing to scan" in html
    assert_csp_clean(html)
    assert login(admin_b).get(f"/monitoring/integrations/{integration.pk}/panel/").status_code == 404


def test_alert_rules_and_settings_are_for_administrators(login, admin_a, assessor_a, tenant_a):
    from vendorvet.web.monitoring.models import AlertRule

    assert login(assessor_a).get("/monitoring/rules/").status_code == 403
    assert login(assessor_a).get("/monitoring/settings/").status_code == 403
    admin = login(admin_a)
    html = admin.get("/monitoring/rules/").content.decode()
    assert "Urgent changes to administrators" in html and "Daily digest of all changes" in html
    refused = admin.post("/monitoring/rules/new/", {"name": "Hook", "enabled": "on", "channel": "webhook",
                                                    "min_severity": "high", "url": "https://127.0.0.1:8443/x",
                                                    "secret": "abc"})
    assert refused.status_code == 400 and "SSRF guard" in refused.content.decode()
    no_secret = admin.post("/monitoring/rules/new/", {"name": "Hook", "channel": "webhook", "min_severity": "high",
                                                      "url": "https://93.184.215.14/hook"})
    assert no_secret.status_code == 400 and "signing secret" in no_secret.content.decode()
    ok = admin.post("/monitoring/rules/new/", {"name": "Ops mail", "enabled": "on", "channel": "email",
                                               "min_severity": "critical", "kinds": ["dpa_missing"],
                                               "recipients": "ops@example.test"})
    assert ok.status_code == 302
    with acting(tenant_a):
        rule = AlertRule.objects.get(name="Ops mail")
        assert rule.kinds == ["dpa_missing"] and rule.recipients == "ops@example.test"
    assert admin.post("/monitoring/settings/", {"enabled": "on", "cadence_tier1": "2"}).status_code == 302
    assert admin.post("/monitoring/settings/", {"cadence_tier2": "999"}).status_code == 400
    assert admin.post(f"/monitoring/rules/{rule.pk}/delete/").status_code == 302
    with acting(tenant_a):
        assert not AlertRule.objects.filter(name="Ops mail").exists()


def test_api_events_actions_and_rules(api_as, tenant_a, admin_a, assessor_a, auditor_a, events_a):
    integration, high, low = events_a
    auditor = api_as(tenant_a, auditor_a)
    listed = auditor.get("/api/monitoring-events/").json()
    assert {e["id"] for e in listed["results"]} == {high.pk, low.pk}
    assert auditor.get("/api/monitoring-events/?severity=high").json()["results"][0]["after"] == {"status": "fail"}
    assert auditor.post(f"/api/monitoring-events/{high.pk}/acknowledge/").status_code == 403
    assert auditor.get("/api/alert-rules/").status_code == 403

    assessor = api_as(tenant_a, assessor_a)
    acked = assessor.post(f"/api/monitoring-events/{high.pk}/acknowledge/")
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    assert assessor.post(f"/api/monitoring-events/{low.pk}/snooze/", {"days": 0}, format="json").status_code == 400
    assert assessor.post(f"/api/monitoring-events/{low.pk}/resolve/").json()["state"] == "resolved"
    assert [e["id"] for e in assessor.get("/api/monitoring-events/?state=resolved").json()["results"]] == [low.pk]

    admin = api_as(tenant_a, admin_a)
    created = admin.post("/api/alert-rules/", {"name": "Teams", "channel": "teams", "min_severity": "high",
                                               "url": "https://93.184.215.14/webhook"}, format="json")
    assert created.status_code == 201, created.content
    assert "secret" not in created.json()
    refused = admin.post("/api/alert-rules/", {"name": "Internal", "channel": "slack", "min_severity": "high",
                                               "url": "https://10.0.0.5/hook"}, format="json")
    assert refused.status_code == 400 and "url" in refused.json()
    rule_id = created.json()["id"]
    assert admin.patch(f"/api/alert-rules/{rule_id}/", {"min_severity": "critical"},
                       format="json").json()["min_severity"] == "critical"
    assert admin.delete(f"/api/alert-rules/{rule_id}/").status_code == 204


def test_cli_tick_and_events(tenant_a, admin_a, auditor_a, events_a, capsys):
    assert main(["monitor", "tick", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tenants"] == 1 and report["errors"] == []
    assert main(["monitor", "events", "--tenant", "nordlicht", "--user", "aylin.auditor", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["title"] for r in rows} == {"Ticketing API: TLS 1.0 enabled", "Ticketing API: TLS certificate replaced"}
    assert main(["monitor", "events", "--tenant", "nordlicht", "--user", "aylin.auditor", "--kind",
                 "cert_rotated"]) == 0
    out = capsys.readouterr().out
    assert "certificate replaced" in out and "TLS 1.0" not in out
    assert main(["monitor", "run", "--interval", "0.1", "--max-ticks", "2"]) == 0
    assert capsys.readouterr().out.count("tenants 1") == 2


def test_pages_in_german(login, admin_a, events_a):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get("/monitoring/").content.decode()
    assert "Benachrichtigungsregeln" in html and "Monitoring-Einstellungen" in html and "Zur Kenntnis nehmen" in html
    assert 'href="/monitoring/"' in html  # the menu entry
    integration = events_a[0]
    panel = client.get(f"/monitoring/integrations/{integration.pk}/panel/").content.decode()
    assert "Wird nicht automatisch erneut gescannt" in panel and "Vorher" in panel
    assert "Stufe 1: 1 Tage" in client.get("/monitoring/settings/").content.decode()


def test_the_tick_records_a_run_the_hook_missed_and_sends_the_digest(tenant_a, admin_a, assessor_a, scan_settings,
                                                                    allow_private, scanned_integration, vendor_site,
                                                                    smtp):
    """A run whose changes were not recorded when it finished (hook failed) is caught up by the next tick."""
    from tests.scans.conftest import GOOD_HEADERS
    from vendorvet.web.core.events import scan_finished
    from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent
    from vendorvet.web.monitoring.scheduling import on_scan_finished, tick
    from vendorvet.web.monitoring.tasks import monitoring_tick
    from vendorvet.web.scans import services

    port, site = vendor_site
    with acting(tenant_a, assessor_a, role="assessor"):
        services.start_scan(scanned_integration)
    site.default = (200, [*GOOD_HEADERS, ("Deprecation", "@1700000000")], b"{}")
    scan_finished.disconnect(on_scan_finished, dispatch_uid="monitoring_on_scan_finished")
    try:
        with acting(tenant_a, assessor_a, role="assessor"):
            services.start_scan(scanned_integration)
    finally:
        scan_finished.connect(on_scan_finished, dispatch_uid="monitoring_on_scan_finished")
    assert MonitoringEvent.all_tenants.count() == 0
    result = monitoring_tick.enqueue()  # the task (immediate backend here)
    assert result.return_value["runs_processed"] == 1 and result.return_value["events_fired"] == 1
    [event] = MonitoringEvent.all_tenants.all()
    assert event.kind == "scan_changes" and event.severity in ("low", "medium", "info")
    # defaults: the "urgent" rule does not match a low/medium event; the digest rule collects it and the
    # same tick sends the day's first digest
    assert list(AlertDelivery.all_tenants.values_list("state", flat=True)) == ["delivered"]
    assert len(smtp.messages) == 1 and parsed(smtp.messages[0])["Subject"] == \
        "[vendorvet] Daily monitoring digest: 1 changes"
    assert tick(tenants=[tenant_a]).runs_processed == 0  # recorded once
    assert MonitoringEvent.all_tenants.get().occurrences == 1
