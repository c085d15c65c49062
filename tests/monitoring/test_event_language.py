"""Event texts in the reader's language: recorded by the scheduler in the installation language, shown to a
German and an English reader each in their own — web UI, API, CLI and alerts (the rule's language)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json

import pytest
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.conftest import acting
from tests.web.conftest import login  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]

EN_DPA, DE_DPA = "Payroll: no AVV/DPA recorded", "Payroll: kein AVV erfasst"
EN_ACTION = "Conclude an AVV/DPA under Art. 28 GDPR and record it in the vendor"
DE_ACTION = "Schließen Sie einen AVV nach Art. 28 DSGVO ab"
EN_COMPRESSION, DE_COMPRESSION = "No TLS compression (CRIME)", "Keine TLS-Komprimierung (CRIME)"


@pytest.fixture
def calendar_integration(tenant_a, make_integration):
    """An integration with personal data and no DPA, whose vendor's ISO certificate ends in 20 days."""
    from vendorvet.web.assessments.models import Certification

    integration = make_integration(tenant_a, name="Payroll", data_categories=["personal"])
    with acting(tenant_a):
        Certification.objects.create(vendor=integration.vendor, kind="iso27001", certificate_number="DE-123",
                                     valid_until=timezone.localdate() + dt.timedelta(days=20))
    return integration


def sweep(tenant):
    from vendorvet.web.monitoring.models import MonitoringEvent
    from vendorvet.web.monitoring.scheduling import tick

    assert tick(tenants=[tenant]).errors == []
    return {e.kind: e for e in MonitoringEvent.all_tenants.filter(tenant=tenant)}


def test_recorded_in_english_read_in_german_and_english(tenant_a, admin_a, auditor_a, calendar_integration,
                                                        immediate_tasks, login, api_as):
    events = sweep(tenant_a)
    dpa, cert = events["dpa_missing"], events["vendor_cert_expiring"]
    assert dpa.title == EN_DPA and EN_ACTION in dpa.action  # the stored text: the installation's language
    assert cert.title.endswith("expires in 20 days")

    german, english = login(admin_a, HTTP_ACCEPT_LANGUAGE="de"), login(admin_a, HTTP_ACCEPT_LANGUAGE="en")
    listed_de = german.get("/monitoring/").content.decode()
    assert DE_DPA in listed_de and EN_DPA not in listed_de
    assert "läuft in 20 Tagen ab" in listed_de  # a message inside a message: "in %(n)d days"
    listed_en = english.get("/monitoring/").content.decode()
    assert EN_DPA in listed_en and DE_DPA not in listed_en and "expires in 20 days" in listed_en
    detail_de = german.get(f"/monitoring/events/{dpa.pk}/").content.decode()
    assert DE_ACTION in detail_de and "Die Integration verarbeitet personenbezogene Daten (Personenbezogene Daten)" in detail_de  # labels, no keys
    panel_de = german.get(f"/monitoring/integrations/{calendar_integration.pk}/panel/").content.decode()
    assert DE_DPA in panel_de

    api = api_as(tenant_a, auditor_a)
    row_de = api.get(f"/api/monitoring-events/{dpa.pk}/", HTTP_ACCEPT_LANGUAGE="de").json()
    row_en = api.get(f"/api/monitoring-events/{dpa.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (row_de["title"], row_en["title"]) == (DE_DPA, EN_DPA)
    assert DE_ACTION in row_de["action"] and EN_ACTION in row_en["action"]
    assert "mit Acme Cloud Inc. ist kein AVV erfasst" in row_de["detail"]
    assert "no AVV/DPA with Acme Cloud Inc. is recorded" in row_en["detail"]
    listed = {r["kind"]: r["title"] for r in api.get("/api/monitoring-events/", HTTP_ACCEPT_LANGUAGE="de").json()[
        "results"]}
    assert listed["vendor_cert_expiring"].endswith("läuft in 20 Tagen ab")


def test_recorded_in_german_alerts_in_each_rules_language(tenant_a, calendar_integration, immediate_tasks, settings,
                                                          allow_private, receiver, webhook_rule, smtp):
    from vendorvet.web.monitoring.models import AlertRule

    settings.LANGUAGE_CODE = "de"  # a German installation: the scheduler records in German
    port, rec = receiver
    webhook_rule(tenant_a, port, language="en", kinds=["dpa_missing"])
    webhook_rule(tenant_a, port, language="de", kinds=["dpa_missing"])
    with acting(tenant_a):
        AlertRule.objects.create(name="Ops mail", channel="email", recipients="ops@example.test",
                                 min_severity="low", kinds=["dpa_missing"], language="en")
    events = sweep(tenant_a)
    assert events["dpa_missing"].title == DE_DPA  # stored in the installation language

    bodies = [json.loads(r["body"]) for r in rec.requests]
    assert sorted(b["event"]["title"] for b in bodies) == sorted([DE_DPA, EN_DPA])
    by_title = {b["event"]["title"]: b for b in bodies}
    assert DE_ACTION in by_title[DE_DPA]["event"]["what_to_do"]
    assert EN_ACTION in by_title[EN_DPA]["event"]["what_to_do"]
    [mail] = smtp.messages
    message = email.message_from_bytes(mail["data"], policy=email.policy.default)
    text = message.get_content()
    assert message["Subject"] == f"[vendorvet] {EN_DPA}"
    assert "What to do" in text and EN_ACTION in text and "Was zu tun ist" not in text


def test_the_cli_and_older_rows_without_a_message(tenant_a, auditor_a, calendar_integration, immediate_tasks,
                                                  capsys):
    from vendorvet.cli.main import main
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import MonitoringEvent

    sweep(tenant_a)
    with acting(tenant_a, kind="task"):  # recorded before messages were stored: plain text only
        old = events.record(kind="finding_new", severity="high", key="old", occurrence="run:1",
                            title="Payroll: TLS 1.0 enabled", action="Disable TLS 1.0.",
                            integration=calendar_integration, alert=False).event
    assert old.texts == {} and old.shown_title == "Payroll: TLS 1.0 enabled"

    from django.utils import translation

    with translation.override("de"):
        assert MonitoringEvent.all_tenants.get(kind="dpa_missing").shown_title == DE_DPA
        assert old.shown_title == "Payroll: TLS 1.0 enabled" and old.shown_action == "Disable TLS 1.0."
    assert main(["monitor", "events", "--tenant", "nordlicht", "--user", "aylin.auditor", "--format", "json"]) == 0
    titles = {r["title"] for r in json.loads(capsys.readouterr().out)}
    assert EN_DPA in titles and "Payroll: TLS 1.0 enabled" in titles


def _stored_runs(tenant, integration):
    """Two finished runs as the scan service stores them: TLS compression passes, then fails."""
    from vendorvet.engine import registry
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    spec, now, runs = registry.all_checks()["tls.vuln.compression"], timezone.now(), []
    with acting(tenant):
        for age, status in ((2, "pass"), (1, "fail")):
            run = ScanRun.objects.create(integration=integration, status="done", finished=now - dt.timedelta(hours=age))
            ScanRun.objects.filter(pk=run.pk).update(created=now - dt.timedelta(hours=age))
            target = ScanTarget.objects.create(run=run, target="https://api.vendor.test/", host="api.vendor.test")
            Finding.objects.create(run=run, scan_target=target, check_id=spec.id, status=status, severity="high",
                                   title=spec.title, detail="compression: DEFLATE")
            runs.append(run)
    return runs[-1]


def test_a_findings_what_to_do_in_the_readers_and_each_rules_language(
        tenant_a, admin_a, auditor_a, make_integration, immediate_tasks, allow_private, receiver, webhook_rule,
        login, api_as):
    """The check's remediation is stored as its id and rendered at read time: German (content/check_texts.yaml)
    for a German reader or rule, the engine's English for an English one."""
    from vendorvet import content
    from vendorvet.engine import registry
    from vendorvet.web.scans.changes import record_scan_changes  # moved to the scans app (issue 12)

    en_action = registry.all_checks()["tls.vuln.compression"].remediation
    de_action = content.load("check_texts")["checks"]["tls.vuln.compression"]["remediation"]
    assert (en_action, de_action) == ("Disable TLS compression.", "TLS-Komprimierung deaktivieren.")
    port, rec = receiver
    webhook_rule(tenant_a, port, language="de", kinds=["scan_changes"])  # one event per run (issue 13)
    webhook_rule(tenant_a, port, language="en", kinds=["scan_changes"])
    run = _stored_runs(tenant_a, make_integration(tenant_a, name="Vendor API", kind="api"))
    with acting(tenant_a, kind="task"):
        [event] = [r.event for r in record_scan_changes(run) if r.event.kind == "scan_changes"]
    assert event.texts["action"] == {"remediation": "tls.vuln.compression"} and event.action == en_action
    assert event.title == f"Vendor API: {EN_COMPRESSION}"  # stored in the installation's language

    german, english = login(admin_a, HTTP_ACCEPT_LANGUAGE="de"), login(admin_a, HTTP_ACCEPT_LANGUAGE="en")
    detail_de = german.get(f"/monitoring/events/{event.pk}/").content.decode()
    detail_en = english.get(f"/monitoring/events/{event.pk}/").content.decode()
    assert de_action in detail_de and en_action not in detail_de
    assert en_action in detail_en and de_action not in detail_en
    assert f"Vendor API: {DE_COMPRESSION}" in detail_de and EN_COMPRESSION not in detail_de  # the finding's title
    assert f"Vendor API: {EN_COMPRESSION}" in detail_en and DE_COMPRESSION not in detail_en
    api = api_as(tenant_a, auditor_a)
    assert api.get(f"/api/monitoring-events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="de").json()["action"] == de_action
    assert api.get(f"/api/monitoring-events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()["action"] == en_action

    alerts = sorted((json.loads(r["body"])["event"]["title"], json.loads(r["body"])["event"]["what_to_do"])
                    for r in rec.requests)
    assert alerts == sorted([(f"Vendor API: {DE_COMPRESSION}", de_action),  # each alert rule in its language
                             (f"Vendor API: {EN_COMPRESSION}", en_action)])
