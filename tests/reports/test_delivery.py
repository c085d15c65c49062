"""Scheduled delivery: the monitoring tick's periodic hook sends the management report to a real local SMTP
server, once per period; a failed delivery is recorded and tried again by the next tick."""

from __future__ import annotations

import datetime as dt
import email
import socket
from email import policy

import pytest
from django.utils import timezone

from tests.conftest import acting
from tests.monitoring.receivers import smtp_sink
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def mail_settings(settings):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "vendorvet@example.test"
    return settings


def _schedule(tenant, admin, **fields):
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.reports.models import ReportSettings

    with acting(tenant, admin, role="admin"):
        return save_object(ReportSettings(**fields), creating=True)


def _reports(box) -> list[dict]:
    """The management reports among the messages (the tick also sends the monitoring's own alerts)."""
    return [m for m in box.messages if b"application/pdf" in m["data"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_monthly_report_arrives_with_the_pdf_attached_once(tenant_a, admin_a, tenant_b, admin_b,
                                                              make_integration, mail_settings):
    from vendorvet.web.monitoring.scheduling import tick
    from vendorvet.web.reports.models import ReportSettings

    make_integration(tenant_a, "Ticketing Bridge", data_categories=["personal"])
    _schedule(tenant_a, admin_a, schedule="monthly", language="de", recipients="gf@nordlicht.example\nit@nordlicht.example")
    _schedule(tenant_b, admin_b, schedule="off")
    with smtp_sink() as (port, box):
        mail_settings.EMAIL_HOST, mail_settings.EMAIL_PORT = "127.0.0.1", port
        report = tick(tenants=[tenant_a, tenant_b])
        assert report.errors == []
        assert len(_reports(box)) == 1  # tenant B's schedule is off
        tick(tenants=[tenant_a, tenant_b])  # same month: not again
        assert len(_reports(box)) == 1
    sent = _reports(box)[0]
    assert sorted(sent["to"]) == ["gf@nordlicht.example", "it@nordlicht.example"]
    message = email.message_from_bytes(sent["data"], policy=policy.default)
    assert "Managementbericht" in str(message["Subject"]) and "Nordlicht Maschinenbau GmbH" in str(message["Subject"])
    attachments = [part for part in message.iter_attachments()]
    assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
    body = attachments[0].get_content()
    pages, text = pdf_text(body)
    digest = str(message.get_body(preferencelist=("plain",)).get_content()).rsplit(": ", 1)[1].strip()
    assert pages >= 2 and "Managementbericht" in text and "Nordlicht Maschinenbau GmbH" in text
    assert len(digest) == 64 and digest in "".join(text.split())  # the mail names the footer's hash
    with acting(tenant_a):
        assert ReportSettings.objects.get().last_sent == timezone.localdate()


def test_next_month_sends_again(tenant_a, admin_a, mail_settings):
    from vendorvet.web.monitoring.scheduling import tick

    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    settings_row = _schedule(tenant_a, admin_a, schedule="monthly", language="en", recipients="gf@example.test")
    from vendorvet.web.reports.models import ReportSettings

    with acting(tenant_a):
        ReportSettings.objects.filter(pk=settings_row.pk).update(last_sent=last_month)
    with smtp_sink() as (port, box):
        mail_settings.EMAIL_HOST, mail_settings.EMAIL_PORT = "127.0.0.1", port
        tick(tenants=[tenant_a])
    assert len(_reports(box)) == 1
    assert "Management report" in str(email.message_from_bytes(_reports(box)[0]["data"], policy=policy.default)["Subject"])


def test_a_failed_delivery_is_recorded_and_retried(tenant_a, admin_a, mail_settings):
    from vendorvet.web.monitoring.scheduling import tick
    from vendorvet.web.reports.models import ReportSettings

    _schedule(tenant_a, admin_a, schedule="weekly", language="de", recipients="gf@example.test")
    mail_settings.EMAIL_HOST, mail_settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens
    tick(tenants=[tenant_a])
    with acting(tenant_a):
        failed = ReportSettings.objects.get()
    assert failed.last_sent is None and "ConnectionRefusedError" in failed.last_error
    with smtp_sink() as (port, box):
        mail_settings.EMAIL_HOST, mail_settings.EMAIL_PORT = "127.0.0.1", port
        tick(tenants=[tenant_a])
    assert len(_reports(box)) == 1
    with acting(tenant_a):
        done = ReportSettings.objects.get()
    assert done.last_sent == timezone.localdate() and done.last_error == ""


def test_due_dates():
    from vendorvet.web.reports.delivery import is_due
    from vendorvet.web.reports.models import ReportSettings

    wednesday = dt.date(2026, 12, 2)
    assert is_due(ReportSettings(schedule="weekly", last_sent=dt.date(2026, 11, 29)), wednesday)  # last week
    assert not is_due(ReportSettings(schedule="weekly", last_sent=dt.date(2026, 11, 30)), wednesday)  # this Monday
    assert not is_due(ReportSettings(schedule="monthly", last_sent=dt.date(2026, 12, 1)), wednesday)
    assert is_due(ReportSettings(schedule="monthly", last_sent=dt.date(2026, 11, 30)), wednesday)
    assert not is_due(ReportSettings(schedule="off"), wednesday)
