"""The inventory list: search, filters, sorting, pagination, the HTMX partial, and a bounded query count."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import acting

pytestmark = pytest.mark.django_db
LIST = reverse("inventory:integration_list")


def names(html: str) -> list[str]:
    """Integration names in table order (the links to detail pages)."""
    return re.findall(r'<td class="primary"><a href="/integrations/\d+/">([^<]+)</a>', html)


def test_search_matches_name_vendor_and_department(admin_a, inventory_a, login):
    client = login(admin_a)
    assert names(client.get(LIST + "?q=payroll").content.decode()) == ["Payroll Export"]
    assert names(client.get(LIST + "?q=datev").content.decode()) == ["Lohn Connector", "Payroll Export"]
    assert sorted(names(client.get(LIST + "?q=IT").content.decode())) == ["Slack Workspace", "Wiki Plugin"]
    assert names(client.get(LIST + "?q=nothing-like-this").content.decode()) == []


def test_filters(admin_a, inventory_a, login):
    client = login(admin_a)
    datev = inventory_a["vendors"]["datev"]
    cases = {
        "?status=approved": ["Acme CRM"],
        "?department=HR": ["Lohn Connector", "Payroll Export"],
        f"?vendor={datev.pk}": ["Lohn Connector", "Payroll Export"],
        "?kind=plugin": ["Lohn Connector", "Wiki Plugin"],
        "?data_category=personal": ["Acme CRM", "Payroll Export"],
        "?data_category=health&department=HR": ["Lohn Connector"],
        "?status=bogus": ["Acme CRM", "Lohn Connector", "Payroll Export", "Slack Workspace", "Wiki Plugin"],
    }
    for query, expected in cases.items():
        assert names(client.get(LIST + query).content.decode()) == expected, query
    health = inventory_a["Lohn Connector"]
    tier = health.tier
    assert "Lohn Connector" in names(client.get(LIST + f"?tier={tier}").content.decode())
    others = [i for i in ("Wiki Plugin", "Slack Workspace") if inventory_a[i].tier != tier]
    for name in others:
        assert name not in names(client.get(LIST + f"?tier={tier}").content.decode())


def test_sorting_and_sort_headers(admin_a, inventory_a, login):
    client = login(admin_a)
    by_name_desc = names(client.get(LIST + "?sort=-name").content.decode())
    assert by_name_desc == sorted(by_name_desc, reverse=True)
    html = client.get(LIST + "?sort=tier").content.decode()
    tiers = [inventory_a[n].tier for n in names(html)]
    assert tiers == sorted(tiers)
    assert 'aria-sort="ascending"' in html
    assert "?sort=-tier" in html  # clicking the sorted column again reverses it
    by_vendor = names(client.get(LIST + "?sort=vendor").content.decode())
    assert by_vendor[:2] == ["Acme CRM", "Wiki Plugin"]  # Acme Cloud first, then by name


def test_htmx_request_returns_partial_with_clean_push_url(admin_a, inventory_a, login):
    client = login(admin_a)
    response = client.get(LIST, {"q": "crm", "status": "", "tier": "", "sort": "name"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<table" in html
    assert names(html) == ["Acme CRM"]
    assert response["HX-Push-Url"] == "/integrations/?q=crm&sort=name"
    assert "HX-Request" in response["Vary"]
    # export links carry the filter
    assert "/integrations/export.csv?q=crm&amp;sort=name" in html


def test_full_page_has_htmx_search_wiring(admin_a, inventory_a, login):
    html = login(admin_a).get(LIST).content.decode()
    assert 'hx-get="/integrations/"' in html
    assert 'hx-target="#results"' in html and 'hx-push-url="true"' in html
    assert "delay:" in html
    assert reverse("inventory_io:import") in html


def test_pagination_50_a_page(admin_a, tenant_a, make_vendor, login):
    from vendorvet.web.inventory.models import Integration

    vendor = make_vendor(tenant_a, "Bulk Vendor")
    with acting(tenant_a):
        Integration.objects.bulk_create([Integration(tenant=tenant_a, vendor=vendor, name=f"App {i:03d}")
                                         for i in range(120)])
    client = login(admin_a)
    first = client.get(LIST).content.decode()
    assert len(names(first)) == 50 and names(first)[0] == "App 000"
    assert "120 integrations" in first
    third = client.get(LIST + "?page=3").content.decode()
    assert names(third) == [f"App {i:03d}" for i in range(100, 120)]
    assert names(client.get(LIST + "?page=999").content.decode())[-1] == "App 119"  # clamped to the last page


def test_query_count_does_not_grow_with_rows(admin_a, tenant_a, make_vendor, login):
    from vendorvet.web.inventory.models import Integration

    client = login(admin_a)
    client.get(LIST)  # warm up session and content types

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    vendor = make_vendor(tenant_a, "Many")
    with acting(tenant_a):
        Integration.objects.bulk_create([Integration(tenant=tenant_a, vendor=vendor, name=f"A{i}") for i in range(5)])
    few = count_queries()
    vendors = [make_vendor(tenant_a, f"V{i}") for i in range(10)]
    with acting(tenant_a):
        Integration.objects.bulk_create([Integration(tenant=tenant_a, vendor=vendors[i % 10], name=f"B{i}",
                                                     data_categories=["personal"]) for i in range(60)])
    many = count_queries()
    assert many == few
    # session, user with its login-session record (revocation; one join), memberships with their tenants and
    # the tenants' 2FA policies (one join), count, page, departments, vendors; whether the user has a second
    # factor is remembered in the session until a factor changes (tests/web/test_mfa.py)
    assert many <= 7


def test_deep_pages_read_the_keys_first_and_hold_the_same_rows(admin_a, tenant_a, make_vendor, login):
    """Past the first pages the list asks for the page's keys first (one statement, ``id IN (SELECT …)``); every
    sort order gives exactly the rows and order of plain OFFSET paging, the last short page included."""
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.inventory.queries import SORTS, IntegrationFilter, integration_list

    vendors = [make_vendor(tenant_a, f"Vendor {v}") for v in range(7)]
    with acting(tenant_a):
        Integration.objects.bulk_create([
            Integration(tenant=tenant_a, vendor=vendors[i % 7], name=f"App {i % 97:03d}",  # repeated names: ties
                        status=["proposed", "approved", "in_review"][i % 3], tier=1 + i % 4,
                        department=["IT", "HR", ""][i % 3]) for i in range(333)])
    client = login(admin_a)
    for sort in SORTS:
        with acting(tenant_a):
            expected = [i.name for i in integration_list(IntegrationFilter.from_params({"sort": sort}))]
        for page in (5, 7):  # rows 200-249 and the last 33
            with CaptureQueriesContext(connection) as ctx:
                html = client.get(LIST + f"?sort={sort}&page={page}").content.decode()
            assert names(html) == expected[(page - 1) * 50:page * 50], (sort, page)
            assert any('"id" IN (SELECT' in q["sql"] for q in ctx.captured_queries), sort
    with CaptureQueriesContext(connection) as ctx:
        assert len(names(client.get(LIST + "?page=2").content.decode())) == 50
    assert not any('"id" IN (SELECT' in q["sql"] for q in ctx.captured_queries)  # early pages: as before


def test_vendor_and_department_options_are_escaped_and_the_chosen_one_selected(admin_a, tenant_a, make_vendor,
                                                                                 login):
    from vendorvet.web.inventory.models import Integration

    odd = make_vendor(tenant_a, 'Müller & <Söhne> "GmbH"')
    plain = make_vendor(tenant_a, "Zeta AG")
    with acting(tenant_a):
        Integration.objects.create(vendor=odd, name="X", department='R&D <"lab">')
        Integration.objects.create(vendor=plain, name="Y", department="HR")
    client = login(admin_a)
    html = client.get(LIST + f"?vendor={odd.pk}&department=HR").content.decode()
    assert (f'<option value="{odd.pk}" selected>Müller &amp; &lt;Söhne&gt; &quot;GmbH&quot;</option>'
            f'<option value="{plain.pk}">Zeta AG</option>') in html
    assert ('<option value="HR" selected>HR</option>'
            '<option value="R&amp;D &lt;&quot;lab&quot;&gt;">R&amp;D &lt;&quot;lab&quot;&gt;</option>') in html
    assert "<Söhne>" not in html and '<"lab">' not in html
