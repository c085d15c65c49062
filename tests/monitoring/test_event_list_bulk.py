"""The events list people keep reading (issue 13): pages that keep their filters, filters by state, kind,
severity, integration, date and text, and bulk acknowledge / snooze / resolve — web (one form, CSRF, change
permission) and API (``POST /api/monitoring-events/bulk/``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.conftest import acting
from tests.web.conftest import assert_csp_clean, login  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def many_events(tenant_a, make_integration, immediate_tasks):
    """60 low events of "Ticketing API", 3 high ones of "Payroll" (one seen 10 days ago); a silent rule."""
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import AlertRule, MonitoringEvent

    ticketing = make_integration(tenant_a, name="Ticketing API")
    payroll = make_integration(tenant_a, name="Payroll")
    with acting(tenant_a, kind="task"):
        AlertRule.objects.create(name="off", enabled=False)
        for n in range(60):
            events.record(kind="cert_rotated", severity="low", key=f"t{n}", occurrence="run:1",
                          title=f"Ticketing API: certificate {n}", integration=ticketing)
        high = [events.record(kind="grade_changed", severity="high", key=f"p{n}", occurrence="run:2",
                              title=f"Payroll: grade B → D ({n})", detail="the HSTS header is missing",
                              integration=payroll).event for n in range(3)]
        MonitoringEvent.objects.filter(pk=high[0].pk).update(last_seen=timezone.now() - dt.timedelta(days=10))
    return ticketing, payroll, high


def test_the_list_pages_and_keeps_its_filters_in_the_page_links(login, auditor_a, many_events):  # noqa: F811
    ticketing, _payroll, _high = many_events
    client = login(auditor_a)
    first = client.get(f"/monitoring/?kind=cert_rotated&integration={ticketing.pk}").content.decode()
    assert "Page 1 of 2" in first
    assert f"kind=cert_rotated&amp;integration={ticketing.pk}&amp;page=2" in first  # filters kept
    second = client.get(f"/monitoring/?kind=cert_rotated&integration={ticketing.pk}&page=2").content.decode()
    assert "Page 2 of 2" in second and "Payroll" not in second.split("<tbody>")[1]


def test_filters_by_severity_integration_dates_and_text(login, auditor_a, many_events):  # noqa: F811
    _ticketing, payroll, high = many_events
    client = login(auditor_a)

    def titles(query):
        html = client.get(f"/monitoring/?{query}").content.decode()
        return html.split("<tbody>")[1] if "<tbody>" in html else ""

    assert titles(f"integration={payroll.pk}").count("Payroll: grade") == 3
    assert "Ticketing" not in titles("severity=high")
    today = timezone.localdate()
    recent = titles(f"severity=high&since={(today - dt.timedelta(days=2)).isoformat()}")
    assert recent.count("Payroll: grade") == 2 and "(0)" not in recent
    old = titles(f"until={(today - dt.timedelta(days=5)).isoformat()}")
    assert old.count("Payroll: grade") == 1 and "(0)" in old
    assert titles("q=HSTS+header").count("Payroll: grade") == 3  # what changed
    assert titles("q=certificate+59").count("Ticketing API: certificate 59") == 1
    assert titles("severity=high&since=not-a-date").count("Payroll: grade") == 3  # a broken date is ignored, not an error


def test_bulk_actions_on_the_web_need_the_change_permission(login, admin_a, assessor_a, auditor_a,
                                                            many_events):  # noqa: F811
    from vendorvet.web.monitoring.models import MonitoringEvent

    _ticketing, _payroll, high = many_events
    ids = [str(e.pk) for e in high]
    auditor = login(auditor_a)
    html = auditor.get("/monitoring/").content.decode()
    assert 'id="bulk-form"' not in html and 'name="ids"' not in html  # the auditor may only look
    assert auditor.post("/monitoring/events/bulk/", {"ids": ids, "action": "resolve"}).status_code == 403
    assert set(MonitoringEvent.all_tenants.filter(pk__in=ids).values_list("state", flat=True)) == {"open"}

    assessor = login(assessor_a)
    page = assessor.get("/monitoring/?severity=high").content.decode()
    assert 'id="bulk-form"' in page and 'name="csrfmiddlewaretoken"' in page and 'form="bulk-form"' in page
    assert "<script>" not in page and "monitoring/bulk.js" in page
    assert_csp_clean(page)
    response = assessor.post("/monitoring/events/bulk/", {"ids": ids[:2], "action": "snooze", "days": "5",
                                                          "next": "/monitoring/?severity=high"})
    assert response.status_code == 302 and response["Location"] == "/monitoring/?severity=high"
    states = dict(MonitoringEvent.all_tenants.filter(pk__in=ids).values_list("pk", "state"))
    assert [states[int(i)] for i in ids] == ["snoozed", "snoozed", "open"]
    assert "2 events changed." in assessor.get("/monitoring/").content.decode()

    # a wrong action or an unknown id changes nothing and says why
    admin = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    admin.post("/monitoring/events/bulk/", {"ids": [ids[2], "999999"], "action": "resolve"})
    assert MonitoringEvent.all_tenants.get(pk=ids[2]).state == "open"
    assert "Einige der gewählten Ereignisse gibt es nicht (mehr)." in admin.get("/monitoring/").content.decode()
    admin.post("/monitoring/events/bulk/", {"ids": ids, "action": "resolve"})
    assert set(MonitoringEvent.all_tenants.filter(pk__in=ids).values_list("state", flat=True)) == {"resolved"}


def test_the_bulk_form_is_protected_by_csrf(admin_a, many_events):
    from django.test import Client

    _ticketing, _payroll, high = many_events
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)
    response = client.post("/monitoring/events/bulk/", {"ids": [high[0].pk], "action": "resolve"})
    assert response.status_code == 403
    high[0].refresh_from_db()
    assert high[0].state == "open"


def test_bulk_actions_through_the_api(tenant_a, tenant_b, admin_a, auditor_a, make_integration, many_events,
                                      api_as):  # noqa: F811
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import MonitoringEvent

    _ticketing, _payroll, high = many_events
    ids = [e.pk for e in high]
    auditor = api_as(tenant_a, auditor_a)
    assert auditor.post("/api/monitoring-events/bulk/", {"ids": ids, "action": "acknowledge"},
                        format="json").status_code == 403
    admin = api_as(tenant_a, admin_a)
    response = admin.post("/api/monitoring-events/bulk/", {"ids": ids, "action": "acknowledge"}, format="json")
    assert response.status_code == 200 and response.json() == {"changed": 3}
    assert set(MonitoringEvent.all_tenants.filter(pk__in=ids).values_list("state", flat=True)) == {"acknowledged"}
    assert admin.post("/api/monitoring-events/bulk/", {"ids": ids, "action": "delete"},
                      format="json").status_code == 400
    assert admin.post("/api/monitoring-events/bulk/", {"ids": ids, "action": "snooze", "days": 0},
                      format="json").status_code == 400
    # another tenant's event cannot be touched (and nothing of the request is applied)
    other = make_integration(tenant_b, name="Other")
    with acting(tenant_b, kind="task"):
        foreign = events.record(kind="cert_rotated", severity="low", key="x", occurrence="run:9", title="Other",
                                integration=other).event
    response = admin.post("/api/monitoring-events/bulk/", {"ids": [ids[0], foreign.pk], "action": "resolve"},
                          format="json")
    assert response.status_code == 400
    assert MonitoringEvent.all_tenants.get(pk=foreign.pk).state == "open"
    assert MonitoringEvent.all_tenants.get(pk=ids[0]).state == "acknowledged"
