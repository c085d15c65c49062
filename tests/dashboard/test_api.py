"""The dashboard in the REST API: the same figures as the web page, each API link counting exactly the figure's
value; the integration list's ``facet`` filter (validated, documented); the provider view of the user's tenants
and of no other; the trend series; German labels."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import client_with, issue
from tests.conftest import acting
from tests.dashboard.test_figures_lists import _seed, figures_of
from vendorvet.web.core.registry import registry

pytestmark = pytest.mark.django_db

FIGURES, TRENDS, TENANTS = "/api/dashboard/figures/", "/api/dashboard/trends/", "/api/dashboard/tenants/"
INTEGRATIONS = "/api/inventory/integrations/"


def local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return parts.path + ("?" + parts.query if parts.query else "")


@pytest.fixture
def seeded(tenant_a, inventory_a):
    """Every kind of figure with a non-zero count (the web dashboard tests' data)."""
    _seed(inventory_a, tenant_a)
    return inventory_a


@pytest.fixture
def api_a(tenant_a, admin_a):
    _token, key = issue(tenant_a, admin_a)
    return client_with(key)


def test_every_api_link_counts_exactly_the_figure(seeded, api_a):
    body = api_a.get(FIGURES).json()
    checked, facets = {}, set()
    for figure in body["figures"]:
        if figure["api_url"] is None or figure["value"] is None:
            continue
        response = api_a.get(local(figure["api_url"]))
        assert response.status_code == 200, figure
        assert response.json()["count"] == figure["value"], f"{figure['key']}: {figure['api_url']}"
        checked[figure["key"]] = figure["value"]
        if "facet=" in figure["api_url"]:
            facets.add(figure["api_url"].split("facet=")[1].split("&")[0])
    # every facet of the integration list is behind a figure here, and other lists take part too
    assert facets == set(registry.integration_facets)
    assert any(k.startswith("monitoring.") for k in checked) and any(k.startswith("inventory.tier") for k in checked)
    assert len(checked) > 50
    assert checked["legal.personal_no_dpa"] == 1 and checked["scans.tls90"] == 2  # not a comparison of zeros


def test_the_api_figures_are_the_web_page_figures(seeded, admin_a, api_a, login):
    web = figures_of(login(admin_a))
    body = api_a.get(FIGURES).json()
    api = {f["key"]: f for f in body["figures"]}
    assert {k: v for k, (v, _url) in web.items()} == {k: f["value"] for k, f in api.items() if k in web}
    for key, (_value, url) in web.items():
        assert local(api[key]["web_url"]) == url
    # the figures the page cannot compute are null with a reason, never 0
    missing = {k: f for k, f in api.items() if f["value"] is None}
    assert all(f["reason"] for f in missing.values())
    assert body["tenant"] == "Nordlicht Maschinenbau GmbH"
    sections = [s["key"] for s in body["sections"]]
    assert sections[0] == "inventory.tiers" and {"legal.avv", "monitoring.severity"} & set(sections)
    assert {f["section"] for f in api.values()} <= set(sections)


def test_a_figure_without_an_api_list_has_no_api_url(seeded, api_a):
    api = {f["key"]: f for f in api_a.get(FIGURES).json()["figures"]}
    assert api["discovery.pending"]["api_url"] is None  # the web's review queue filter has no API twin
    assert api["discovery.pending"]["web_url"].startswith("http://testserver/")
    assert api["legal.personal_no_dpa"]["api_url"] == \
        "http://testserver/api/inventory/integrations/?facet=legal.personal_no_dpa"


def test_facet_filter_narrows_and_unknown_facet_is_400(seeded, api_a):
    names = lambda facet: {r["name"] for r in api_a.get(INTEGRATIONS, {"facet": facet}).json()["results"]}  # noqa
    assert names("legal.personal_no_dpa") == {"Acme CRM"}
    assert names("scans.tls90") == {"Acme CRM", "Payroll Export"}
    assert names("assessments.review_due") == {"Payroll Export"}
    assert len(names("")) == 5  # empty: no filter
    response = api_a.get(INTEGRATIONS, {"facet": "no.such.facet"})
    assert response.status_code == 400
    message = response.json()["facet"][0]
    assert "'no.such.facet'" in message and "legal.personal_no_dpa" in message and message.startswith("Unknown")
    german = api_a.get(INTEGRATIONS, {"facet": "no.such.facet"}, HTTP_ACCEPT_LANGUAGE="de").json()["facet"][0]
    assert german.startswith("Unbekannter Filter")
    # combined with the other filters like on the web list
    assert api_a.get(INTEGRATIONS, {"facet": "legal.personal_no_dpa", "status": "retired"}).json()["count"] == 0


def test_german_labels(seeded, api_a):
    body = api_a.get(FIGURES, HTTP_ACCEPT_LANGUAGE="de").json()
    labels = {f["key"]: f["label"] for f in body["figures"]}
    assert labels["scans.grade.D"] == "Letzter Scan mit Note D"
    assert "Personenbezogene Daten: AVV und Drittlandübermittlungen" in {s["label"] for s in body["sections"]}
    english = {f["key"]: f["label"] for f in api_a.get(FIGURES).json()["figures"]}
    assert english["scans.grade.D"] != labels["scans.grade.D"]
    trends = api_a.get(TRENDS, HTTP_ACCEPT_LANGUAGE="de").json()
    assert "Offene Befunde der Überwachung" in {s["label"] for s in trends["series"]}
    rows = api_a.get(TENANTS, HTTP_ACCEPT_LANGUAGE="de").json()["results"]
    assert rows[0]["light_label"] in {"Handlungsbedarf", "Beobachten", "In Ordnung"}


def test_trends_follow_the_snapshots(seeded, tenant_a, api_a):
    from vendorvet.web.dashboard.snapshots import take_snapshot

    assert all(s["points"] == [] and s["latest"] is None for s in api_a.get(TRENDS).json()["series"])
    with acting(tenant_a):
        snap = take_snapshot()
    body = api_a.get(TRENDS).json()
    series = {s["key"]: s for s in body["series"]}
    assert set(series) == {"risk", "open", "overdue"}
    assert series["overdue"]["points"] == [{"week": snap.week.isoformat(), "value": 1}]
    assert series["overdue"]["latest"] == 1 and body["weeks"] == 53


@pytest.fixture
def three_tenants(tenant_a, tenant_b, admin_a, member, make_integration):
    from vendorvet.web.accounts.models import Tenant

    third = Tenant.objects.create(name="Drittfirma Geheim KG", slug="drittfirma")
    member(tenant_b, admin_a.username, "auditor")
    member(third, "someone.else", "admin")
    make_integration(tenant_a, name="Nordlicht CRM")
    make_integration(tenant_b, name="Hafen CRM", status="approved")
    make_integration(third, name="Dritt CRM", status="approved")
    return third


def test_provider_view_lists_exactly_the_users_tenants(three_tenants, tenant_a, tenant_b, admin_a, login):
    session = login(admin_a)
    response = session.get(TENANTS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["tenant"] for r in body["results"]] == ["Hafenblick Logistik AG", "Nordlicht Maschinenbau GmbH"]
    assert "Drittfirma" not in response.content.decode()
    web_rows = session.get(reverse("dashboard:provider")).context["rows"]
    assert [{k: r[k] for k in ("tenant", "integrations", "risk", "open", "severe", "overdue", "light")}
            for r in web_rows] == \
        [{k: r[k] for k in ("tenant", "integrations", "risk", "open", "severe", "overdue", "light")}
         for r in body["results"]]
    # sortable like the web view
    by_count = session.get(TENANTS, {"ordering": "-integrations"}).json()["results"]
    web_sorted = session.get(reverse("dashboard:provider") + "?sort=-integrations").context["rows"]
    assert [r["tenant_id"] for r in by_count] == [r["tenant_id"] for r in web_sorted]
    assert session.get(TENANTS, {"sort": "-tenant"}).json()["results"][0]["tenant"] == "Nordlicht Maschinenbau GmbH"
    bad = session.get(TENANTS, {"ordering": "price"})
    assert bad.status_code == 400 and "'price'" in bad.json()["ordering"][0]


def test_a_token_lists_only_its_own_tenant(three_tenants, tenant_b, admin_a):
    _token, key = issue(tenant_b, admin_a)
    body = client_with(key).get(TENANTS).json()
    assert [r["tenant"] for r in body["results"]] == ["Hafenblick Logistik AG"]


def test_permissions(three_tenants, tenant_a, admin_a, auditor_a):
    from vendorvet.web.accounts.models import Membership

    for path in (FIGURES, TRENDS, TENANTS):
        assert Client().get(path).status_code in (401, 403), path
    _token, key = issue(tenant_a, auditor_a, read_only=True)
    auditor = client_with(key)
    for path in (FIGURES, TRENDS, TENANTS):
        assert auditor.get(path).status_code == 200, path  # viewing is every role's right, like the web pages
        assert auditor.post(path, {}).status_code in (403, 405), path
    # a removed membership disables the token for the dashboard too
    with acting(tenant_a):
        Membership.objects.filter(user=auditor_a).delete()
    for path in (FIGURES, TRENDS, TENANTS):
        assert auditor.get(path).status_code == 403, path


def test_schema_documents_the_dashboard_and_the_facets():
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    for path in (FIGURES, TRENDS, TENANTS):
        assert path in schema["paths"], path
    params = {p["name"]: p for p in schema["paths"][INTEGRATIONS]["get"]["parameters"]}
    facet = params["facet"]
    assert facet["schema"]["enum"] == sorted(registry.integration_facets)
    assert "`legal.personal_no_dpa`" in facet["description"] and "no AVV/DPA recorded" in facet["description"]
    figure = schema["components"]["schemas"]["DashboardFigure"]["properties"]
    assert {"key", "section", "label", "value", "web_url", "api_url"} <= set(figure)
    ordering = {p["name"]: p for p in schema["paths"][TENANTS]["get"]["parameters"]}["ordering"]
    assert "-light" in ordering["schema"]["enum"]


def test_cli_prints_the_same_figures_and_tenants(seeded, three_tenants, api_a, capsys):
    import json

    from vendorvet.cli.main import main

    assert main(["dashboard", "figures", "--tenant", "nordlicht", "--user", "anna.admin", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    api = api_a.get(FIGURES).json()
    assert {f["key"]: f["value"] for f in printed["figures"]} == {f["key"]: f["value"] for f in api["figures"]}
    assert {f["key"]: f["api_url"] for f in printed["figures"] if f["api_url"]} == \
        {f["key"]: local(f["api_url"]) for f in api["figures"] if f["api_url"]}
    assert main(["dashboard", "figures", "--tenant", "nordlicht", "--user", "anna.admin", "--language", "de"]) == 0
    assert "Letzter Scan mit Note D" in capsys.readouterr().out
    assert main(["dashboard", "tenants", "--user", "anna.admin", "--format", "json", "--sort=-tenant"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["tenant"] for r in rows] == ["Nordlicht Maschinenbau GmbH", "Hafenblick Logistik AG"]
    assert main(["dashboard", "tenants", "--user", "anna.admin"]) == 0
    table = capsys.readouterr().out
    assert "Hafenblick Logistik AG" in table and "Drittfirma" not in table
    assert main(["dashboard", "tenants", "--user", "anna.admin", "--sort", "price"]) == 2
    assert "Unknown sort key 'price'" in capsys.readouterr().err
    # a tenant the user is not a member of is refused like everywhere in the CLI
    assert main(["dashboard", "figures", "--tenant", "drittfirma", "--user", "anna.admin"]) == 1
    assert "not a member" in capsys.readouterr().err
