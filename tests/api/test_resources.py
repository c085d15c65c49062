"""Vendors (with contacts and integration count), contacts and endpoints over the API."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Contact, Endpoint, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(tenant_a, admin_a, api_as):
    return api_as(tenant_a, admin_a)


def test_vendor_crud_with_contacts_and_count(tenant_a, admin_client, make_integration):
    created = admin_client.post("/api/inventory/vendors/", {
        "name": "Wolke Sieben GmbH", "country": "de", "website": "https://wolke7.example",
        "dpa_url": "https://wolke7.example/avv",
    }, format="json")
    assert created.status_code == 201, created.content
    vendor = created.json()
    assert vendor["country"] == "DE" and vendor["contacts"] == [] and vendor["integration_count"] == 0
    with acting(tenant_a):
        v = Vendor.objects.get(pk=vendor["id"])
        Contact.objects.create(vendor=v, name="Petra Privacy", role="data protection officer",
                               email="dpo@wolke7.example")
    make_integration(tenant_a, name="Cloud Drive", vendor=v)
    make_integration(tenant_a, name="Cloud Mail", vendor=v)
    detail = admin_client.get(f"/api/inventory/vendors/{v.pk}/").json()
    assert detail["integration_count"] == 2
    assert [(c["name"], c["email"]) for c in detail["contacts"]] == [("Petra Privacy", "dpo@wolke7.example")]
    listed = {item["id"]: item for item in admin_client.get("/api/inventory/vendors/").json()["results"]}
    assert listed[v.pk]["integration_count"] == 2
    patched = admin_client.patch(f"/api/inventory/vendors/{v.pk}/", {"notes": "AVV signed 2025"}, format="json")
    assert patched.status_code == 200 and patched.json()["notes"] == "AVV signed 2025"
    # contacts are read-only in the vendor representation
    admin_client.patch(f"/api/inventory/vendors/{v.pk}/", {"contacts": []}, format="json")
    with acting(tenant_a):
        assert Contact.objects.filter(vendor=v).count() == 1


def test_vendor_with_integrations_cannot_be_deleted(tenant_a, admin_client, make_integration):
    integration = make_integration(tenant_a)
    response = admin_client.delete(f"/api/inventory/vendors/{integration.vendor_id}/")
    assert response.status_code == 409
    with acting(tenant_a):
        assert Vendor.objects.filter(pk=integration.vendor_id).exists()


def test_vendor_delete_logs_and_cascades_contacts(tenant_a, admin_client, make_vendor):
    vendor = make_vendor(tenant_a, name="Short Lived AG")
    with acting(tenant_a):
        Contact.objects.create(vendor=vendor, name="Temp")
    assert admin_client.delete(f"/api/inventory/vendors/{vendor.pk}/").status_code == 204
    with acting(tenant_a):
        assert not Vendor.objects.filter(pk=vendor.pk).exists()
        assert ObjectChange.objects.filter(changed_object_type__model="vendor", changed_object_id=vendor.pk,
                                           action="delete", actor_kind="token").exists()


@pytest.mark.parametrize("payload,field", [
    ({"name": "Acme Cloud Inc."}, "name"),
    ({"name": "X", "country": "ZZ"}, "country"),
    ({"name": "X", "website": "javascript:alert(1)"}, "website"),
    ({"name": "X", "trust_center_url": "https://u:p@trust.example"}, "trust_center_url"),
    ({"name": ""}, "name"),
])
def test_vendor_validation(payload, field, tenant_a, admin_client, make_vendor):
    make_vendor(tenant_a, name="Acme Cloud Inc.")
    response = admin_client.post("/api/inventory/vendors/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    with acting(tenant_a):
        assert Vendor.objects.count() == 1


def test_vendor_search_and_country_filter(tenant_a, admin_client, make_vendor):
    make_vendor(tenant_a, name="Alpha Hosting GmbH", country="DE")
    make_vendor(tenant_a, name="Beta Analytics Inc.", country="US")
    names = [v["name"] for v in admin_client.get("/api/inventory/vendors/", {"country": "de"}).json()["results"]]
    assert names == ["Alpha Hosting GmbH"]
    names = [v["name"] for v in admin_client.get("/api/inventory/vendors/", {"q": "analytics"}).json()["results"]]
    assert names == ["Beta Analytics Inc."]


def test_contact_crud_and_vendor_filter(tenant_a, admin_client, make_vendor):
    one = make_vendor(tenant_a, name="One")
    two = make_vendor(tenant_a, name="Two")
    for vendor, name in ((one, "Ada"), (two, "Ben")):
        response = admin_client.post("/api/inventory/contacts/", {"vendor": vendor.pk, "name": name,
                                                        "email": f"{name.lower()}@x.example"}, format="json")
        assert response.status_code == 201
    assert [c["name"] for c in admin_client.get("/api/inventory/contacts/", {"vendor": two.pk}).json()["results"]] == ["Ben"]
    bad = admin_client.post("/api/inventory/contacts/", {"vendor": one.pk, "name": "C", "email": "not-mail"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()
    ada = admin_client.get("/api/inventory/contacts/", {"vendor": one.pk}).json()["results"][0]
    assert ada["vendor_name"] == "One"
    assert admin_client.patch(f"/api/inventory/contacts/{ada['id']}/", {"role": "CISO"}, format="json").json()["role"] == "CISO"
    assert admin_client.delete(f"/api/inventory/contacts/{ada['id']}/").status_code == 204
    with acting(tenant_a):
        change = ObjectChange.objects.get(changed_object_type__model="contact", changed_object_id=ada["id"],
                                          action="delete")
        assert change.related_object_id == one.pk


def test_endpoint_crud_and_uniqueness(tenant_a, admin_client, make_integration):
    integration = make_integration(tenant_a)
    url = "https://api.acme.example/v2"
    created = admin_client.post("/api/inventory/endpoints/", {"integration": integration.pk, "url": url}, format="json")
    assert created.status_code == 201 and created.json()["integration_name"] == integration.name
    again = admin_client.post("/api/inventory/endpoints/", {"integration": integration.pk, "url": url}, format="json")
    assert again.status_code == 400
    bad = admin_client.post("/api/inventory/endpoints/", {"integration": integration.pk, "url": "http://"}, format="json")
    assert bad.status_code == 400 and "url" in bad.json()
    listed = admin_client.get("/api/inventory/endpoints/", {"integration": integration.pk}).json()
    assert [e["url"] for e in listed["results"]] == [url]
    assert admin_client.get(f"/api/inventory/integrations/{integration.pk}/").json()["endpoints"] == [url]
    with acting(tenant_a):
        assert Endpoint.objects.filter(integration=integration).count() == 1
