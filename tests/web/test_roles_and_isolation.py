"""Role enforcement on every write page, and tenant isolation by id and in lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vendorvet.web.core.context import use_tenant
from vendorvet.web.inventory.models import Integration, Vendor

pytestmark = pytest.mark.django_db


def integration_post(vendor, name="Acme CRM", **extra):
    data = {"name": name, "vendor": vendor.pk, "kind": "saas", "status": "approved", "department": "Sales",
            "discovery_source": "manual", "data_categories": ["personal"], "tags": "", "endpoints": ""}
    data.update(extra)
    return data


def test_auditor_cannot_add_edit_or_delete(auditor_a, inventory_a, login):
    client = login(auditor_a)
    crm, acme = inventory_a["Acme CRM"], inventory_a["vendors"]["acme"]
    assert client.get(reverse("inventory:integration_detail", args=[crm.pk])).status_code == 200
    forbidden = [
        ("get", reverse("inventory:integration_add"), None),
        ("post", reverse("inventory:integration_add"), integration_post(acme, name="New")),
        ("get", reverse("inventory:integration_edit", args=[crm.pk]), None),
        ("post", reverse("inventory:integration_edit", args=[crm.pk]), integration_post(acme, department="X")),
        ("get", reverse("inventory:integration_delete", args=[crm.pk]), None),
        ("post", reverse("inventory:integration_delete", args=[crm.pk]), {}),
        ("get", reverse("inventory:vendor_add"), None),
        ("get", reverse("inventory:vendor_edit", args=[acme.pk]), None),
        ("post", reverse("inventory:vendor_delete", args=[acme.pk]), {}),
        ("get", reverse("accounts:members"), None),
    ]
    for method, url, data in forbidden:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
        assert b"Access denied" in response.content
    with use_tenant(inventory_a["Acme CRM"].tenant):
        assert Integration.objects.get(pk=crm.pk).department == "Sales"
        assert not Integration.objects.filter(name="New").exists()
    # the buttons are not offered either
    page = client.get(reverse("inventory:integration_detail", args=[crm.pk])).content.decode()
    assert reverse("inventory:integration_edit", args=[crm.pk]) not in page
    assert reverse("inventory:integration_delete", args=[crm.pk]) not in page


def test_assessor_can_add_and_edit_but_not_delete(assessor_a, inventory_a, login):
    client = login(assessor_a)
    crm, acme = inventory_a["Acme CRM"], inventory_a["vendors"]["acme"]
    added = client.post(reverse("inventory:integration_add"), integration_post(acme, name="Acme Billing"))
    assert added.status_code == 302
    edited = client.post(reverse("inventory:integration_edit", args=[crm.pk]), integration_post(acme, department="Vertrieb"))
    assert edited.status_code == 302
    assert client.get(reverse("inventory:integration_delete", args=[crm.pk])).status_code == 403
    assert client.post(reverse("inventory:integration_delete", args=[crm.pk])).status_code == 403
    assert client.post(reverse("inventory:vendor_delete", args=[acme.pk])).status_code == 403
    with use_tenant(crm.tenant):
        assert Integration.objects.filter(pk=crm.pk, department="Vertrieb").exists()
        assert Integration.objects.filter(name="Acme Billing").exists()


def test_admin_can_delete(admin_a, inventory_a, login):
    client = login(admin_a)
    wiki = inventory_a["Wiki Plugin"]
    assert client.get(reverse("inventory:integration_delete", args=[wiki.pk])).status_code == 200
    response = client.post(reverse("inventory:integration_delete", args=[wiki.pk]))
    assert response.status_code == 302
    with use_tenant(wiki.tenant):
        assert not Integration.objects.filter(pk=wiki.pk).exists()


def test_other_tenants_objects_are_404(admin_a, inventory_a, inventory_b, login):
    client = login(admin_a)
    theirs, their_vendor = inventory_b["integration"], inventory_b["vendor"]
    urls = [
        reverse("inventory:integration_detail", args=[theirs.pk]),
        reverse("inventory:integration_edit", args=[theirs.pk]),
        reverse("inventory:integration_delete", args=[theirs.pk]),
        reverse("inventory:integration_history", args=[theirs.pk]),
        reverse("inventory:vendor_detail", args=[their_vendor.pk]),
        reverse("inventory:vendor_edit", args=[their_vendor.pk]),
        reverse("inventory:vendor_delete", args=[their_vendor.pk]),
        reverse("inventory:vendor_history", args=[their_vendor.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "hijack", "vendor": their_vendor.pk}).status_code in (404, 405), url
    assert Integration.all_tenants.get(pk=theirs.pk).name == "Secret Fleet Tracker"
    assert Vendor.all_tenants.filter(pk=their_vendor.pk).exists()


def test_lists_never_show_other_tenants_names(admin_a, inventory_a, inventory_b, login):
    client = login(admin_a)
    pages = [
        reverse("inventory:integration_list"),
        reverse("inventory:integration_list") + "?q=Secret",
        reverse("inventory:integration_list") + f"?vendor={inventory_b['vendor'].pk}",
        reverse("inventory:vendor_list"),
        reverse("inventory:vendor_list") + "?q=Geheim",
        reverse("inventory:change_list"),
        reverse("inventory:change_list") + "?q=Hidden",
        reverse("inventory:integration_add"),
        reverse("accounts:members"),
        reverse("accounts:tokens"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in ("Secret Fleet Tracker", "Geheim Vendor", "Hidden Person", "Logistik", "bernd.admin"):
            assert secret not in html, (url, secret)
    assert "Acme CRM" in client.get(reverse("inventory:integration_list")).content.decode()


def test_cannot_link_integration_to_other_tenants_vendor(admin_a, inventory_a, inventory_b, login):
    client = login(admin_a)
    crm = inventory_a["Acme CRM"]
    response = client.post(reverse("inventory:integration_edit", args=[crm.pk]),
                           integration_post(inventory_b["vendor"]))
    assert response.status_code == 200  # form error: not a valid choice
    assert b"errorlist" in response.content
    assert Integration.all_tenants.get(pk=crm.pk).vendor_id == inventory_a["vendors"]["acme"].pk


def test_switch_tenant_only_into_own_tenants(admin_a, tenant_b, inventory_a, inventory_b, member, login):
    client = login(admin_a)
    assert client.post(reverse("accounts:switch_tenant"), {"tenant": tenant_b.pk}).status_code == 404
    assert "Secret Fleet Tracker" not in client.get(reverse("inventory:integration_list")).content.decode()
    member(tenant_b, admin_a.username, "auditor")  # now a member of both (an IT service provider)
    page = client.get(reverse("inventory:integration_list")).content.decode()
    assert 'name="tenant"' in page and "Hafenblick Logistik AG" in page
    response = client.post(reverse("accounts:switch_tenant"), {"tenant": tenant_b.pk})
    assert response.status_code == 302
    page = client.get(reverse("inventory:integration_list")).content.decode()
    assert "Secret Fleet Tracker" in page and "Acme CRM" not in page
    # the role follows the tenant: auditor in B
    assert client.get(reverse("inventory:integration_add")).status_code == 403
