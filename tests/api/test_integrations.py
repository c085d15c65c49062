"""Integrations over the API: representation, writes through the services, filters, sorting, pages."""

from __future__ import annotations

import pytest
from django.db.models import Q

from tests.conftest import acting
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory import queries
from vendorvet.web.inventory.models import Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(tenant_a, admin_a, api_as):
    return api_as(tenant_a, admin_a)


@pytest.fixture
def vendor(tenant_a, make_vendor):
    return make_vendor(tenant_a, name="Acme Cloud Inc.", country="US")


def test_representation_has_all_fields_and_computed_tier(tenant_a, admin_client, vendor, make_integration):
    integration = make_integration(tenant_a, name="Payroll", vendor=vendor, data_categories=["personal", "financial"],
                                   access_scope="write", department="HR", tags=["payroll"])
    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url="https://payroll.acme.example")
    body = admin_client.get(f"/api/inventory/integrations/{integration.pk}/").json()
    model_fields = {f.name for f in Integration._meta.concrete_fields} - {"tenant"}
    assert model_fields <= set(body)
    assert "tenant" not in body
    assert body["vendor"] == vendor.pk and body["vendor_name"] == "Acme Cloud Inc."
    assert body["tier"] == integration.tier_result().tier
    assert [r["rule_id"] for r in body["tier_reasons"]] == [r.rule_id for r in integration.tier_result().reasons]
    assert all(r["text"] for r in body["tier_reasons"])
    assert body["endpoints"] == ["https://payroll.acme.example"]
    assert body["data_categories"] == ["financial", "personal"]
    assert body["created"] and body["last_updated"]


def test_tier_reasons_follow_the_request_language(tenant_a, admin_client, vendor, make_integration):
    integration = make_integration(tenant_a, vendor=vendor, data_categories=["health"])
    reasons = integration.tier_result().reasons
    assert reasons
    en = admin_client.get(f"/api/inventory/integrations/{integration.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    de = admin_client.get(f"/api/inventory/integrations/{integration.pk}/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert en["tier_reasons"][0]["text"] == reasons[0].text["en"]
    assert de["tier_reasons"][0]["text"] == reasons[0].text.get("de", reasons[0].text["en"])


def test_create_with_endpoints_is_logged_with_the_token(tenant_a, admin_a, vendor, token_for):
    from tests.api.conftest import client_with

    token, key = token_for(tenant_a, admin_a, name="ci")
    response = client_with(key).post("/api/inventory/integrations/", {
        "vendor": vendor.pk, "name": "Support Desk", "kind": "saas", "status": "in_review",
        "data_categories": ["personal"], "processing_countries": ["de", "US"], "access_scope": "admin",
        "endpoints": ["https://desk.acme.example", "https://api.desk.acme.example"],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["processing_countries"] == ["DE", "US"]
    assert sorted(body["endpoints"]) == ["https://api.desk.acme.example", "https://desk.acme.example"]
    with acting(tenant_a):
        integration = Integration.objects.get(pk=body["id"])
        assert integration.tier == body["tier"] == integration.tier_result().tier
        changes = list(ObjectChange.objects.filter(
            Q(changed_object_type__model="integration", changed_object_id=integration.pk)
            | Q(related_object_type__model="integration", related_object_id=integration.pk)))
    created = [c for c in changes if c.changed_object_type.model == "integration"]
    assert len(created) == 1 and created[0].action == "create"
    assert {c.actor_kind for c in changes} == {"token"}
    assert {c.token_id for c in changes} == {token.pk}
    assert all(c.user_id == admin_a.pk and "ci" in c.actor_label for c in changes)
    endpoint_changes = [c for c in changes if c.changed_object_type.model == "endpoint"]
    assert len(endpoint_changes) == 2 and {c.related_object_id for c in endpoint_changes} == {integration.pk}


def test_update_logs_before_and_after(tenant_a, admin_client, vendor, make_integration):
    integration = make_integration(tenant_a, vendor=vendor, name="Wiki", status="proposed")
    response = admin_client.patch(f"/api/inventory/integrations/{integration.pk}/", {"status": "approved"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    with acting(tenant_a):
        change = ObjectChange.objects.get(changed_object_type__model="integration",
                                          changed_object_id=integration.pk, action="update")
    assert change.prechange_data["status"] == "proposed" and change.postchange_data["status"] == "approved"
    assert change.actor_kind == "token" and change.token_id is not None


def test_endpoints_are_replaced_and_each_change_logged(tenant_a, admin_client, vendor, make_integration):
    integration = make_integration(tenant_a, vendor=vendor)
    url = f"/api/inventory/integrations/{integration.pk}/"
    assert admin_client.patch(url, {"endpoints": ["https://a.example", "https://b.example"]},
                              format="json").status_code == 200
    body = admin_client.patch(url, {"endpoints": ["https://b.example", "https://c.example"]}, format="json").json()
    assert sorted(body["endpoints"]) == ["https://b.example", "https://c.example"]
    # a PATCH without endpoints keeps them
    assert sorted(admin_client.patch(url, {"notes": "n"}, format="json").json()["endpoints"]) == [
        "https://b.example", "https://c.example"]
    with acting(tenant_a):
        actions = sorted(ObjectChange.objects.filter(changed_object_type__model="endpoint",
                                                     related_object_id=integration.pk)
                         .values_list("action", "object_repr"))
    assert actions == [("create", "https://a.example"), ("create", "https://b.example"),
                       ("create", "https://c.example"), ("delete", "https://a.example")]


@pytest.mark.parametrize("payload,field", [
    ({"data_categories": ["gossip"]}, "data_categories"),
    ({"data_categories": ["none", "personal"]}, "data_categories"),
    ({"processing_countries": ["XX"]}, "processing_countries"),
    ({"endpoints": ["ftp://files.example"]}, "endpoints"),
    ({"endpoints": ["https://user:pw@host.example"]}, "endpoints"),
    ({"status": "maybe"}, "status"),
    ({"name": ""}, "name"),
    ({"tags": ["x" * 51]}, "tags"),
    ({"approx_users": -1}, "approx_users"),
])
def test_invalid_input_is_400_with_the_field(payload, field, tenant_a, admin_client, vendor, make_integration):
    integration = make_integration(tenant_a, vendor=vendor, name="Keep Me")
    response = admin_client.patch(f"/api/inventory/integrations/{integration.pk}/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    with acting(tenant_a):
        fresh = Integration.objects.get(pk=integration.pk)
        assert fresh.name == "Keep Me" and fresh.data_categories == [] and not fresh.endpoints.exists()


def test_model_validation_runs_on_create(tenant_a, admin_client, vendor):
    response = admin_client.post("/api/inventory/integrations/", {"vendor": vendor.pk, "name": "Bad",
                                                        "data_categories": ["none", "health"]}, format="json")
    assert response.status_code == 400
    assert "data_categories" in response.json()
    with acting(tenant_a):
        assert not Integration.objects.filter(name="Bad").exists()


def test_duplicate_name_per_vendor_is_400(tenant_a, admin_client, vendor, make_integration):
    make_integration(tenant_a, vendor=vendor, name="CRM")
    response = admin_client.post("/api/inventory/integrations/", {"vendor": vendor.pk, "name": "CRM"}, format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_bad_endpoint_rolls_back_the_whole_create(tenant_a, admin_client, vendor):
    response = admin_client.post("/api/inventory/integrations/", {"vendor": vendor.pk, "name": "Half",
                                                        "endpoints": ["https://ok.example", "notaurl"]},
                                 format="json")
    assert response.status_code == 400 and "endpoints" in response.json()
    with acting(tenant_a):
        assert not Integration.objects.filter(name="Half").exists()
        assert not Endpoint.objects.filter(url="https://ok.example").exists()


# -- filters, ordering, pagination -------------------------------------------------


@pytest.fixture
def inventory(tenant_a, make_vendor):
    """A varied inventory of 30 integrations across two vendors."""
    acme = make_vendor(tenant_a, name="Acme Cloud Inc.", country="US")
    zeta = make_vendor(tenant_a, name="Zeta Software GmbH", country="DE")
    statuses = ["proposed", "in_review", "approved", "rejected", "retired"]
    categories = [["personal"], ["financial"], ["internal"], ["health"], ["none"], []]
    kinds = ["saas", "api", "plugin", "oauth_app", "agent"]
    departments = ["HR", "Sales", "IT", ""]
    with acting(tenant_a):
        for i in range(30):
            Integration.objects.create(
                vendor=acme if i % 3 else zeta, name=f"App {i:02d}", status=statuses[i % 5],
                data_categories=categories[i % 6], kind=kinds[i % 5], department=departments[i % 4],
                purpose="Payroll export" if i == 7 else "", access_scope="admin" if i % 4 == 0 else "read",
                outage_impact="critical" if i % 7 == 0 else "low",
            )
    return {"acme": acme, "zeta": zeta}


def _names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def _expected(tenant, params):
    with acting(tenant):
        f = queries.IntegrationFilter.from_params(params)
        return list(queries.integration_list(f).values_list("name", flat=True))


@pytest.mark.parametrize("params", [
    {"q": "payroll"},
    {"q": "zeta"},
    {"status": "approved"},
    {"tier": "1"},
    {"tier": "4"},
    {"data_category": "personal"},
    {"department": "HR"},
    {"kind": "plugin"},
    {"status": "in_review", "kind": "api"},
])
def test_filters_match_the_web_ui_implementation(params, tenant_a, admin_client, inventory):
    expected = _expected(tenant_a, params)
    assert _names(admin_client.get("/api/inventory/integrations/", {**params, "page_size": 500})) == expected
    assert expected, "the fixture should give every filter something to find"
    assert len(expected) < 30


def test_filter_by_vendor(tenant_a, admin_client, inventory):
    names = _names(admin_client.get("/api/inventory/integrations/", {"vendor": inventory["zeta"].pk, "page_size": 500}))
    assert names == [f"App {i:02d}" for i in range(0, 30, 3)]


def test_filter_by_data_category_checks_membership(tenant_a, admin_client, inventory):
    items = admin_client.get("/api/inventory/integrations/", {"data_category": "health", "page_size": 500}).json()["results"]
    assert items and all("health" in item["data_categories"] for item in items)


@pytest.mark.parametrize("ordering", list(queries.SORTS))
def test_every_ordering(ordering, tenant_a, admin_client, inventory):
    expected = _expected(tenant_a, {"ordering": ordering})
    assert _names(admin_client.get("/api/inventory/integrations/", {"ordering": ordering, "page_size": 500})) == expected


def test_ordering_by_vendor_and_tier(tenant_a, admin_client, inventory):
    items = admin_client.get("/api/inventory/integrations/", {"ordering": "-vendor", "page_size": 500}).json()["results"]
    assert [i["vendor_name"] for i in items] == sorted((i["vendor_name"] for i in items), reverse=True)
    tiers = [i["tier"] for i in admin_client.get("/api/inventory/integrations/", {"ordering": "tier",
                                                                        "page_size": 500}).json()["results"]]
    assert tiers == sorted(tiers) and len(set(tiers)) > 1


@pytest.mark.parametrize("params,field", [
    ({"status": "aproved"}, "status"), ({"tier": "9"}, "tier"), ({"tier": "x"}, "tier"),
    ({"kind": "spaceship"}, "kind"), ({"data_category": "gossip"}, "data_category"),
    ({"vendor": "abc"}, "vendor"), ({"ordering": "price"}, "ordering"),
])
def test_unknown_filter_values_are_400_not_ignored(params, field, admin_client, inventory):
    response = admin_client.get("/api/inventory/integrations/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_pagination_first_and_deep_page(tenant_a, admin_client, inventory):
    all_names = _expected(tenant_a, {"ordering": "-name"})
    first = admin_client.get("/api/inventory/integrations/", {"ordering": "-name", "page_size": 7}).json()
    assert first["count"] == 30 and first["previous"] is None and "page=2" in first["next"]
    assert [i["name"] for i in first["results"]] == all_names[:7]
    deep = admin_client.get("/api/inventory/integrations/", {"ordering": "-name", "page_size": 7, "page": 5}).json()
    assert [i["name"] for i in deep["results"]] == all_names[28:30]
    assert deep["next"] is None and "page=4" in deep["previous"]
    assert admin_client.get("/api/inventory/integrations/", {"page_size": 7, "page": 6}).status_code == 404
    filtered = admin_client.get("/api/inventory/integrations/", {"status": "approved", "page_size": 2, "page": 2}).json()
    assert filtered["count"] == 6
    assert [i["name"] for i in filtered["results"]] == _expected(tenant_a, {"status": "approved"})[2:4]


def test_page_size_is_capped_at_500(tenant_a, admin_client, make_vendor):
    vendor = make_vendor(tenant_a, name="Bulk Vendor")
    with acting(tenant_a):
        Integration.objects.bulk_create([
            Integration(tenant=tenant_a, vendor=vendor, name=f"Bulk {i:03d}") for i in range(501)
        ])
    body = admin_client.get("/api/inventory/integrations/", {"page_size": 10000}).json()
    assert body["count"] == 501 and len(body["results"]) == 500
    assert len(admin_client.get("/api/inventory/integrations/").json()["results"]) == 50


def test_vendor_field_must_exist(admin_client, inventory):
    response = admin_client.post("/api/inventory/integrations/", {"vendor": 999999, "name": "Ghost"}, format="json")
    assert response.status_code == 400 and "vendor" in response.json()
    assert not Vendor.all_tenants.filter(pk=999999).exists()


@pytest.mark.django_db
def test_list_reads_the_tier_rules_once_not_per_row(api_as, tenant_a, admin_a, make_integration):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(12):
        make_integration(tenant_a, name=f"App {i:02d}", data_categories=["personal"])
    client = api_as(tenant_a, admin_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/inventory/integrations/?page_size=2").status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/inventory/integrations/?page_size=12").status_code == 200
    policy_reads = lambda ctx: sum("inventory_tierpolicy" in q["sql"] for q in ctx.captured_queries)  # noqa: E731
    assert policy_reads(few) == policy_reads(many) == 1
    assert len(many.captured_queries) - len(few.captured_queries) <= 1  # 10 more rows, no query per row
