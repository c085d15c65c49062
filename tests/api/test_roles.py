"""Each role × each method, on every writable resource: auditor reads, assessor cannot delete, admin may all."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db

EXPECTED = {
    # role: (GET list, GET detail, POST, PUT, PATCH, DELETE)
    "auditor": (200, 200, 403, 403, 403, 403),
    "assessor": (200, 200, 201, 200, 200, 403),
    "admin": (200, 200, 201, 200, 200, 204),
}


@pytest.fixture
def world(tenant_a, make_integration):
    integration = make_integration(tenant_a, name="Mail Relay", data_categories=["personal"])
    with acting(tenant_a):
        vendor = integration.vendor
        contact = Contact.objects.create(vendor=vendor, name="Sam Security", role="security contact")
        endpoint = Endpoint.objects.create(integration=integration, url="https://api.acme.example")
        spare_vendor = Vendor.objects.create(name="Spare Vendor GmbH", country="DE")
    return {"integration": integration, "vendor": vendor, "contact": contact, "endpoint": endpoint,
            "spare_vendor": spare_vendor}


def _cases(world):
    v, i = world["vendor"], world["integration"]
    return {
        "integrations": (i, {"vendor": v.pk, "name": "New App"},
                         {"vendor": v.pk, "name": "Mail Relay", "status": "in_review"}, {"notes": "patched"}),
        "vendors": (world["spare_vendor"], {"name": "Brand New Vendor"},
                    {"name": "Spare Vendor GmbH", "country": "AT"}, {"notes": "patched"}),
        "contacts": (world["contact"], {"vendor": v.pk, "name": "Dana DPO"},
                     {"vendor": v.pk, "name": "Sam Security", "role": "CISO"}, {"phone": "+49 40 123"}),
        "endpoints": (world["endpoint"], {"integration": i.pk, "url": "https://status.acme.example"},
                      {"integration": i.pk, "url": "https://api.acme.example", "description": "API"},
                      {"description": "patched"}),
    }


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("resource", ["integrations", "vendors", "contacts", "endpoints"])
def test_role_method_matrix(role, resource, tenant_a, member, world, api_as):
    user = member(tenant_a, f"{role}.matrix", role)
    client = api_as(tenant_a, user)
    obj, post, put, patch = _cases(world)[resource]
    expected = EXPECTED[role]
    url = f"/api/{resource}/"
    detail = f"{url}{obj.pk}/"
    changes_before = ObjectChange.all_tenants.count()

    got = (
        client.get(url).status_code,
        client.get(detail).status_code,
        client.post(url, post, format="json").status_code,
        client.put(detail, put, format="json").status_code,
        client.patch(detail, patch, format="json").status_code,
        client.delete(detail).status_code,
    )
    assert got == expected
    with acting(tenant_a):
        model = type(obj)
        if expected[5] == 204:
            assert not model.objects.filter(pk=obj.pk).exists()
        else:
            assert model.objects.filter(pk=obj.pk).exists()
    writes = sum(1 for code in expected[2:] if code in (200, 201, 204))
    if writes == 0:
        assert ObjectChange.all_tenants.count() == changes_before  # a refused request changed nothing


def test_forbidden_write_leaves_the_object_unchanged(tenant_a, auditor_a, world, api_as):
    client = api_as(tenant_a, auditor_a)
    integration = world["integration"]
    response = client.patch(f"/api/inventory/integrations/{integration.pk}/", {"name": "renamed"}, format="json")
    assert response.status_code == 403
    with acting(tenant_a):
        assert Integration.objects.get(pk=integration.pk).name == "Mail Relay"


def test_assessor_cannot_delete_but_admin_can(tenant_a, assessor_a, admin_a, world, api_as):
    integration = world["integration"]
    assert api_as(tenant_a, assessor_a).delete(f"/api/inventory/integrations/{integration.pk}/").status_code == 403
    assert api_as(tenant_a, admin_a).delete(f"/api/inventory/integrations/{integration.pk}/").status_code == 204
    with acting(tenant_a):
        assert not Integration.objects.filter(pk=integration.pk).exists()
        assert not Endpoint.objects.filter(integration_id=integration.pk).exists()
        deletion = ObjectChange.objects.get(changed_object_id=integration.pk, action="delete",
                                            changed_object_type__model="integration")
        assert deletion.actor_kind == "token" and deletion.user_id == admin_a.pk
