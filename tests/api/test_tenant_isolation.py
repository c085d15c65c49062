"""A token of tenant A can list, retrieve, change, delete or reference nothing of tenant B."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_world(tenant_b, admin_b, make_vendor, make_integration, token_for):
    vendor = make_vendor(tenant_b, name="Hafen Secret Vendor")
    integration = make_integration(tenant_b, name="Hafen Secret CRM", vendor=vendor)
    with acting(tenant_b):
        contact = Contact.objects.create(vendor=vendor, name="Hafen Contact")
        endpoint = Endpoint.objects.create(integration=integration, url="https://secret.hafen.example")
    token, _key = token_for(tenant_b, admin_b, name="hafen token")
    return {"integrations": integration, "vendors": vendor, "contacts": contact, "endpoints": endpoint,
            "tokens": token}


@pytest.fixture
def a_client(tenant_a, admin_a, make_integration, api_as):
    make_integration(tenant_a, name="Nordlicht CRM")
    return api_as(tenant_a, admin_a)


def _all_pages(client, url):
    items, next_url = [], url
    while next_url:
        body = client.get(next_url).json()
        items.extend(body["results"])
        next_url = body["next"]
    return items


@pytest.mark.parametrize("resource", ["integrations", "vendors", "contacts", "endpoints", "tokens"])
def test_lists_never_show_the_other_tenant(resource, a_client, b_world):
    items = _all_pages(a_client, f"/api/{resource}/?page_size=500")
    assert b_world[resource].pk not in {item["id"] for item in items}
    assert "Hafen" not in repr(items) and "hafen" not in repr(items)


@pytest.mark.parametrize("resource", ["integrations", "vendors", "contacts", "endpoints", "tokens"])
def test_guessed_ids_are_404_for_every_method(resource, a_client, b_world):
    obj = b_world[resource]
    url = f"/api/{resource}/{obj.pk}/"
    assert a_client.get(url).status_code == 404
    if resource != "tokens":
        assert a_client.patch(url, {"name": "pwned"}, format="json").status_code == 404
        assert a_client.put(url, {"name": "pwned"}, format="json").status_code == 404
        assert a_client.delete(url).status_code == 404
    else:
        assert a_client.post(f"{url}revoke/").status_code == 404
    model = type(obj)
    fresh = model.all_tenants.get(pk=obj.pk)
    assert str(fresh) == str(obj)
    if resource == "tokens":
        assert fresh.revoked is None


def test_other_tenants_vendor_cannot_be_referenced(tenant_a, a_client, b_world):
    b_vendor = b_world["vendors"]
    created = a_client.post("/api/inventory/integrations/", {"vendor": b_vendor.pk, "name": "Sneaky"}, format="json")
    assert created.status_code == 400
    assert "vendor" in created.json()
    with acting(tenant_a):
        own = Integration.objects.get(name="Nordlicht CRM")
    moved = a_client.patch(f"/api/inventory/integrations/{own.pk}/", {"vendor": b_vendor.pk}, format="json")
    assert moved.status_code == 400 and "vendor" in moved.json()
    contact = a_client.post("/api/inventory/contacts/", {"vendor": b_vendor.pk, "name": "Spy"}, format="json")
    assert contact.status_code == 400 and "vendor" in contact.json()
    endpoint = a_client.post("/api/inventory/endpoints/", {"integration": b_world["integrations"].pk,
                                                 "url": "https://evil.example"}, format="json")
    assert endpoint.status_code == 400 and "integration" in endpoint.json()
    assert Integration.all_tenants.filter(name="Sneaky").count() == 0
    assert Integration.all_tenants.get(pk=own.pk).vendor.tenant_id == tenant_a.pk
    assert not Contact.all_tenants.filter(name="Spy").exists()
    assert not Endpoint.all_tenants.filter(url="https://evil.example").exists()


def test_filter_by_other_tenants_vendor_finds_nothing(a_client, b_world):
    body = a_client.get(f"/api/inventory/integrations/?vendor={b_world['vendors'].pk}").json()
    assert body["count"] == 0 and body["results"] == []
    assert a_client.get(f"/api/inventory/contacts/?vendor={b_world['vendors'].pk}").json()["count"] == 0


def test_change_history_never_shows_the_other_tenant(tenant_b, a_client, b_world):
    b_changes = list(ObjectChange.all_tenants.filter(tenant=tenant_b).values_list("pk", flat=True))
    assert b_changes
    items = _all_pages(a_client, "/api/core/changes/?page_size=500")
    assert items and not {c["id"] for c in items} & set(b_changes)
    assert "Hafen" not in repr(items)
    integration = b_world["integrations"]
    scoped = a_client.get(f"/api/core/changes/?object_type=inventory.integration&object_id={integration.pk}").json()
    assert scoped["count"] == 0
    for pk in b_changes:
        assert a_client.get(f"/api/core/changes/{pk}/").status_code == 404


def test_vendor_name_of_other_tenant_does_not_clash(tenant_a, a_client, b_world):
    # names are unique per tenant: B's vendor name is free in A, and nothing leaks about it
    response = a_client.post("/api/inventory/vendors/", {"name": "Hafen Secret Vendor"}, format="json")
    assert response.status_code == 201
    assert response.json()["integration_count"] == 0
    with acting(tenant_a):
        assert Vendor.objects.filter(name="Hafen Secret Vendor").count() == 1
