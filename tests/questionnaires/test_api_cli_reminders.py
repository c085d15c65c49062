"""The cycle through the API and the command line, and the reminders (monitoring events + e-mail, each once)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import acting
from tests.questionnaires.conftest import link_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tenant_a, assessor_a):
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant_a, assessor_a, role="assessor"):
        _token, key = APIToken.issue(assessor_a, "questionnaires")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_api_send_vendor_answers_and_decide(api, started, scan_provider, django_capture_on_commit_callbacks,
                                            tenant_a):
    from vendorvet.web.questionnaires import services
    from vendorvet.web.questionnaires.models import QuestionnaireItem, Recipient

    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/questionnaires/questionnaires/", {
            "assessment": started.pk, "due_date": due, "points": ["enc.transit.tls12", "cert.pentest"],
            "recipients": [{"name": "Vera", "email": "vera@acme.test", "language": "de"}]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "sent" and body["total"] == 2 and len(mail.outbox) == 1
    assert "/q/" in mail.outbox[0].body and mail.outbox[0].to == ["vera@acme.test"]
    # the vendor answers (what the portal does), then the API shows the vendor-stated answer and the contradiction
    recipient = Recipient.all_tenants.get()
    items = {i.requirement_id: i for i in QuestionnaireItem.all_tenants.filter(questionnaire_id=body["id"])}
    with acting(tenant_a, kind="system"):
        assert services.save_answers(recipient, {items["enc.transit.tls12"].pk: ("met", "TLS 1.2+ only"),
                                                 items["cert.pentest"].pk: ("met", "")}, submit=True) == []
    shown = api.get(f"/api/questionnaires/questionnaires/{body['id']}/").json()
    tls = next(i for i in shown["items"] if i["requirement_id"] == "enc.transit.tls12")
    assert shown["status"] == "submitted" and tls["provenance"] == "vendor_stated"
    assert "our scan on 2026-11-30 saw: TLS 1.0 accepted" in tls["contradiction"]
    decided = api.post(f"/api/questionnaires/questionnaires/{body['id']}/decide/",
                       {"item": items["cert.pentest"].pk, "decision": "accept"}, format="json")
    assert decided.status_code == 200
    assert next(i for i in decided.json()["items"] if i["requirement_id"] == "cert.pentest")["state"] == "accepted"
    # an item of another questionnaire cannot be decided through this one
    assert api.post(f"/api/questionnaires/questionnaires/{body['id']}/decide/",
                    {"item": 987654321, "decision": "accept"}, format="json").status_code == 404
    listed = api.get("/api/questionnaires/questionnaires/?status=submitted").json()
    assert [q["id"] for q in listed["results"]] == [body["id"]]


def test_api_refuses_auditors(tenant_a, auditor_a, started):
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant_a, auditor_a, role="auditor"):
        _token, key = APIToken.issue(auditor_a, "read")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post("/api/questionnaires/questionnaires/", {
        "assessment": started.pk, "due_date": dt.date.today().isoformat(),
        "recipients": [{"name": "V", "email": "v@acme.test"}]}, format="json")
    assert response.status_code == 403


def test_cli_send_status_and_remind(tenant_a, assessor_a, started, scan_provider, capsys,
                                    django_capture_on_commit_callbacks):
    from vendorvet.cli.main import main

    actor = ["--user", assessor_a.username, "--tenant", tenant_a.slug]
    due = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["questionnaire", "send", str(started.pk), "--to", "Vera Vendor|vera@acme.test|de", "--due", due,
                     "--point", "cert.pentest", "--base-url", "https://vv.example", "--format", "json", *actor]) == 0
    sent = json.loads(capsys.readouterr().out)
    assert sent["total"] == 1 and link_of(mail.outbox[-1]).startswith("https://vv.example/q/")
    assert main(["questionnaire", "status", "--format", "json", *actor]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == sent["id"] and row["status"] == "sent" and row["answered"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["questionnaire", "remind", "--format", "json", *actor]) == 0  # due in 2 days: the reminder
    assert json.loads(capsys.readouterr().out) == [{"questionnaire": sent["id"], "kind": "before"}]
    assert "Erinnerung" in mail.outbox[-1].subject  # German, as the recipient's language
    assert main(["questionnaire", "remind", "--format", "json", *actor]) == 0  # once only
    assert json.loads(capsys.readouterr().out) == []
    assert main(["questionnaire", "send", str(started.pk), "--to", "x|x@acme.test", "--due", "2001-01-01",
                 *actor]) == 1
    assert "past" in capsys.readouterr().err


def test_calendar_check_records_events_and_mails_the_overdue_reminder(tenant_a, send, immediate_settings,
                                                                      django_capture_on_commit_callbacks):
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import MonitoringEvent

    q = send(points=["cert.pentest"], due_date=dt.date.today() + dt.timedelta(days=1))
    mail.outbox.clear()
    today = timezone.localdate()
    with acting(tenant_a, kind="task"), django_capture_on_commit_callbacks(execute=True):
        events.sweep_calendar(today=today)
    with acting(tenant_a):
        assert MonitoringEvent.objects.get(kind="questionnaire_due_soon").after["due"] == q.due_date.isoformat()
    assert len(mail.outbox) == 1 and "Reminder" in mail.outbox[0].subject
    with acting(tenant_a, kind="task"), django_capture_on_commit_callbacks(execute=True):
        events.sweep_calendar(today=today + dt.timedelta(days=3))  # past the due date
    with acting(tenant_a):
        states = dict(MonitoringEvent.objects.filter(kind__startswith="questionnaire").values_list("kind", "state"))
    assert states == {"questionnaire_due_soon": "resolved", "questionnaire_overdue": "open"}
    assert len(mail.outbox) == 2 and "Overdue" in mail.outbox[1].subject
    old_link = link_of(mail.outbox[0])
    from django.test import Client
    from tests.questionnaires.conftest import path_of

    assert Client().get(path_of(old_link)).status_code == 404  # each e-mail carries the one working link
    assert Client().get(path_of(link_of(mail.outbox[1]))).status_code == 200


@pytest.fixture
def immediate_settings(settings):
    from tests.scans.conftest import IMMEDIATE

    settings.TASKS = IMMEDIATE
    settings.VENDORVET_BASE_URL = "https://vv.example"  # background e-mails link to the configured address
    return settings
