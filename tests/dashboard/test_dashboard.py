"""The dashboard: figures on seeded data, each figure's link lands on a list with the same count,
weekly snapshots (tick hook and CLI) and the trend charts, the service-provider overview and its exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import acting
from tests.support.downloads import assert_download
from tests.web.conftest import assert_csp_clean

pytestmark = pytest.mark.django_db


def _event(integration, kind, severity, state="open", n=[0]):
    from vendorvet.web.monitoring.models import MonitoringEvent

    n[0] += 1
    now = timezone.now()
    return MonitoringEvent.objects.create(integration=integration, kind=kind, severity=severity, state=state,
                                          dedup_key=f"k{n[0]}", title=f"event {n[0]}", first_seen=now,
                                          last_seen=now)


@pytest.fixture
def seeded(tenant_a, inventory_a):
    with acting(tenant_a):
        crm, payroll = inventory_a["Acme CRM"], inventory_a["Payroll Export"]
        _event(crm, "review_overdue", "medium")
        _event(payroll, "review_overdue", "medium", state="acknowledged")
        _event(payroll, "finding_new", "high")
        _event(payroll, "tls_cert_expiring", "critical")
        _event(crm, "finding_new", "low", state="resolved")  # not open: counted nowhere
    return inventory_a


def _figures(client) -> dict[str, tuple[int, str]]:
    html = client.get(reverse("dashboard:home")).content.decode()
    found = re.findall(r'<a href="([^"]+)"[^>]*data-figure="([^"]+)" data-count="(\d+)">', html)
    return {key: (int(count), url.replace("&amp;", "&")) for url, key, count in found}


def test_figures_are_right_on_seeded_data(seeded, admin_a, login, tenant_a):
    from vendorvet.web.inventory.models import Integration

    client = login(admin_a)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert_csp_clean(response.content.decode())
    figures = _figures(client)
    with acting(tenant_a):
        tier = Integration.objects.get(name="Payroll Export").tier
    assert figures[f"inventory.tier{tier}.in_review"][0] == 1
    assert sum(c for k, (c, _u) in figures.items() if k.startswith("inventory.tier")) == 5
    assert figures["monitoring.open"][0] == 4  # open and acknowledged; the resolved one is not counted
    assert figures["monitoring.severity.critical"][0] == 1
    assert figures["monitoring.severity.high"][0] == 1
    assert figures["monitoring.severity.medium"][0] == 2
    assert figures["monitoring.kind.review_overdue"][0] == 2
    assert figures["monitoring.kind.tls_cert_expiring"][0] == 1


def test_every_figure_links_to_a_list_with_the_same_count(seeded, admin_a, login):
    client = login(admin_a)
    figures = _figures(client)
    assert len(figures) > 30
    for key, (count, url) in figures.items():
        response = client.get(url)
        assert response.status_code == 200, url
        shown = re.findall(r'data-result-count="(\d+)"', response.content.decode())
        assert shown == [str(count)], f"{key}: dashboard {count}, list {shown} ({url})"


def test_login_lands_on_the_dashboard_and_home_redirects_there(admin_a, login):
    from tests.conftest import PASSWORD
    from django.test import Client

    client = Client()
    response = client.post(reverse("accounts:login"), {"username": admin_a.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    assert login(admin_a).get("/")["Location"] == reverse("dashboard:home")
    assert login(admin_a).get(reverse("inventory:integration_list")).status_code == 200


def test_snapshots_from_the_tick_and_the_cli_draw_the_trend(seeded, tenant_a, admin_a, login, capsys):
    from vendorvet.cli.main import main
    from vendorvet.web.dashboard.models import Snapshot
    from vendorvet.web.dashboard.snapshots import series_values, week_of
    from vendorvet.web.monitoring.scheduling import tick

    report = tick(tenants=[tenant_a])
    assert not [e for e in report.errors if "dashboard" in e]
    with acting(tenant_a):
        snap = Snapshot.objects.get()
        assert snap.week == week_of(timezone.localdate())
        assert series_values(snap.figures)["overdue"] == 2
        # an older week, so the chart has two points
        Snapshot.objects.create(week=snap.week - dt.timedelta(weeks=1), figures={"monitoring.open": 1})
    assert main(["dashboard", "snapshot", "--tenant", tenant_a.slug, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["tenant"] == tenant_a.slug
    with acting(tenant_a):
        assert Snapshot.objects.count() == 2  # the CLI refreshed this week's snapshot, it did not add one
    html = login(admin_a).get(reverse("dashboard:home")).content.decode()
    assert html.count("<polyline") == 3 and "<svg" in html
    assert main(["dashboard", "snapshot", "--tenant", "no-such-tenant"]) == 1


def test_provider_view_shows_exactly_the_users_tenants(seeded, inventory_b, tenant_a, tenant_b, admin_a, login,
                                                         member, db):
    from vendorvet.web.accounts.models import Tenant

    third = Tenant.objects.create(name="Drittfirma GmbH", slug="dritte")
    member(tenant_b, admin_a.username, "auditor")
    client = login(admin_a)
    response = client.get(reverse("dashboard:provider"))
    html = response.content.decode()
    assert response.status_code == 200
    assert_csp_clean(html)
    assert tenant_a.name in html and tenant_b.name in html and third.name not in html
    rows = {r["tenant"]: r for r in response.context["rows"]}
    assert set(rows) == {tenant_a.name, tenant_b.name}
    assert rows[tenant_a.name]["open"] == 4 and rows[tenant_a.name]["light"] == "red"
    assert rows[tenant_b.name]["open"] == 0 and rows[tenant_b.name]["integrations"] == 1

    data = json.loads(client.get(reverse("dashboard:provider") + "?format=json&sort=-open").content)
    assert [r["tenant"] for r in data] == [tenant_a.name, tenant_b.name]
    data = json.loads(client.get(reverse("dashboard:provider") + "?format=json&sort=open").content)
    assert [r["tenant"] for r in data] == [tenant_b.name, tenant_a.name]
    response = client.get(reverse("dashboard:provider") + "?format=csv")
    assert assert_download(response) == "tenants.csv"
    text = response.content.decode()
    assert len(list(csv.reader(io.StringIO(text)))) == 3 and third.name not in text
    xlsx = client.get(reverse("dashboard:provider") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK" and assert_download(xlsx) == "tenants.xlsx"
    # a tenant named like a formula is exported as inert text, restorable by the shared spreadsheet rule
    from vendorvet.engine.spreadsheet import unneutralize

    Tenant.objects.filter(pk=tenant_b.pk).update(name="'=HYPERLINK(\"http://x\")")
    cells = [row[0] for row in csv.reader(io.StringIO(
        client.get(reverse("dashboard:provider") + "?format=csv").content.decode()))]
    assert "''=HYPERLINK(\"http://x\")" in cells and unneutralize("''=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    Tenant.objects.filter(pk=tenant_b.pk).update(name=tenant_b.name)

    # drill-down: switching the tenant opens its dashboard
    response = client.post(reverse("accounts:switch_tenant"), {"tenant": tenant_b.pk})
    assert response["Location"] == reverse("dashboard:home")
    assert client.post(reverse("accounts:switch_tenant"), {"tenant": third.pk}).status_code == 404


def test_dashboard_in_german(seeded, admin_a, login):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Integrationen nach Stufe und Status" in html
    assert "Trends der letzten zwölf Monate" in html
