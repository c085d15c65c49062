"""Add/edit forms save through the services, and every change shows up in the history pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Contact, Integration, Vendor

pytestmark = pytest.mark.django_db


def form_data(integration, **changes):
    data = {
        "name": integration.name, "vendor": integration.vendor_id, "kind": integration.kind,
        "status": integration.status, "department": integration.department,
        "business_owner": integration.business_owner, "purpose": integration.purpose,
        "data_categories": integration.data_categories, "data_subjects": integration.data_subjects,
        "approx_users": integration.approx_users or "", "approx_records": integration.approx_records or "",
        "processing_countries": integration.processing_countries, "access_scope": integration.access_scope,
        "outage_impact": integration.outage_impact, "discovery_source": integration.discovery_source,
        "tags": ", ".join(integration.tags), "notes": integration.notes, "endpoints": "",
    }
    data.update(changes)
    return data


def test_edit_records_change_attributed_to_user(assessor_a, inventory_a, login):
    client = login(assessor_a)
    crm = inventory_a["Acme CRM"]
    response = client.post(reverse("inventory:integration_edit", args=[crm.pk]), form_data(
        crm, department="Vertrieb", data_categories=["personal", "financial"], processing_countries=["DE", "US"],
        tags="crm, sales , crm", endpoints="https://api.acme.example\nhttps://app.acme.example/\n"))
    assert response.status_code == 302 and response["Location"] == reverse("inventory:integration_detail", args=[crm.pk])
    with use_tenant(crm.tenant):
        crm.refresh_from_db()
        assert crm.department == "Vertrieb"
        assert crm.tags == ["crm", "sales"]
        assert crm.processing_countries == ["DE", "US"]
        assert sorted(crm.endpoints.values_list("url", flat=True)) == ["https://api.acme.example",
                                                                      "https://app.acme.example/"]
        change = ObjectChange.objects.filter(changed_object_id=crm.pk, action="update").first()
        assert change.user_id == assessor_a.pk and change.actor_kind == "user"
        assert change.actor_label == "arne.assessor"
        diff = {f: (before, after) for f, before, after in change.diff}
        assert diff["department"] == ("Sales", "Vertrieb")
        endpoint_changes = ObjectChange.objects.filter(related_object_id=crm.pk, action="create")
        assert endpoint_changes.count() == 2

    history = client.get(reverse("inventory:integration_history", args=[crm.pk])).content.decode()
    assert "arne.assessor" in history
    assert "Department" in history and "Sales" in history and "Vertrieb" in history
    assert "Financial, Personal data" in history  # choice labels, not stored keys
    assert "https://api.acme.example" in history  # endpoint changes are part of the integration's history
    detail = client.get(reverse("inventory:integration_detail", args=[crm.pk])).content.decode()
    assert "Vertrieb" in detail and "https://app.acme.example/" in detail
    assert "Recent changes" in detail


def test_edit_removes_endpoints_and_validates_them(admin_a, inventory_a, login):
    client = login(admin_a)
    crm = inventory_a["Acme CRM"]
    client.post(reverse("inventory:integration_edit", args=[crm.pk]),
                form_data(crm, endpoints="https://a.example\nhttps://b.example"))
    bad = client.post(reverse("inventory:integration_edit", args=[crm.pk]),
                      form_data(crm, department="Changed", endpoints="ftp://a.example\nhttps://user:pw@b.example"))
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "ftp://a.example" in html and "errorlist" in html
    with use_tenant(crm.tenant):
        crm.refresh_from_db()
        assert crm.department == "Sales"  # nothing saved when the endpoints are invalid
    client.post(reverse("inventory:integration_edit", args=[crm.pk]), form_data(crm, endpoints="https://b.example"))
    with use_tenant(crm.tenant):
        assert list(crm.endpoints.values_list("url", flat=True)) == ["https://b.example"]
        assert ObjectChange.objects.filter(related_object_id=crm.pk, action="delete",
                                           object_repr="https://a.example").exists()


def test_add_integration_computes_tier_and_shows_reasons(admin_a, inventory_a, login):
    client = login(admin_a)
    acme = inventory_a["vendors"]["acme"]
    response = client.post(reverse("inventory:integration_add"), {
        "name": "Patient Portal", "vendor": acme.pk, "kind": "saas", "status": "proposed",
        "discovery_source": "manual", "data_categories": ["health", "personal"], "data_subjects": ["patients"],
        "access_scope": "admin", "outage_impact": "critical", "tags": "", "endpoints": "https://portal.example",
    })
    assert response.status_code == 302
    with use_tenant(acme.tenant):
        portal = Integration.objects.get(name="Patient Portal")
        assert portal.tier == 1
        assert ObjectChange.objects.filter(changed_object_id=portal.pk, action="create", user=admin_a).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "Tier 1" in detail
    assert "at least tier 1" in detail  # the reasons from the tiering rules
    assert "Patients" in detail and "Health" in detail


def test_duplicate_integration_name_is_a_form_error(admin_a, inventory_a, login):
    client = login(admin_a)
    crm = inventory_a["Acme CRM"]
    response = client.post(reverse("inventory:integration_add"), form_data(crm))
    assert response.status_code == 200
    assert "already has an integration with this name" in response.content.decode()


def test_tags_and_data_categories_validation(admin_a, inventory_a, login):
    client = login(admin_a)
    crm = inventory_a["Acme CRM"]
    response = client.post(reverse("inventory:integration_edit", args=[crm.pk]),
                           form_data(crm, data_categories=["none", "personal"], tags="x" * 60))
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot be combined" in html
    assert "at most 50 characters" in html


def test_vendor_with_contacts_formset(admin_a, tenant_a, login):
    client = login(admin_a)
    data = {
        "name": "Personio SE", "country": "DE", "website": "https://www.personio.de", "dpa_url": "",
        "trust_center_url": "", "status_page_url": "", "subprocessors_url": "", "notes": "",
        "contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Jana Schulz", "contacts-0-role": "Account manager", "contacts-0-email": "jana@personio.example",
        "contacts-0-phone": "",
        "contacts-1-name": "", "contacts-1-role": "", "contacts-1-email": "", "contacts-1-phone": "",
    }
    response = client.post(reverse("inventory:vendor_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with use_tenant(tenant_a):
        vendor = Vendor.objects.get(name="Personio SE")
        contact = Contact.objects.get(vendor=vendor)
        assert contact.name == "Jana Schulz"
    detail = client.get(reverse("inventory:vendor_detail", args=[vendor.pk])).content.decode()
    assert "Jana Schulz" in detail and "Germany" in detail
    # edit: remove the contact and rename the vendor
    edit = client.get(reverse("inventory:vendor_edit", args=[vendor.pk])).content.decode()
    assert 'id="contacts-empty-form"' in edit and "__prefix__" in edit
    data.update({"name": "Personio SE & Co. KG", "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1",
                 "contacts-0-id": str(contact.pk), "contacts-0-vendor": str(vendor.pk), "contacts-0-DELETE": "on"})
    response = client.post(reverse("inventory:vendor_edit", args=[vendor.pk]), data)
    assert response.status_code == 302
    with use_tenant(tenant_a):
        assert not Contact.objects.filter(vendor=vendor).exists()
    history = client.get(reverse("inventory:vendor_history", args=[vendor.pk])).content.decode()
    assert "Jana Schulz" in history  # the contact's changes belong to the vendor's history
    assert "Personio SE &amp; Co. KG" in history and "Legal name" in history


def test_vendor_with_integrations_cannot_be_deleted(admin_a, inventory_a, login):
    client = login(admin_a)
    acme = inventory_a["vendors"]["acme"]
    page = client.get(reverse("inventory:vendor_delete", args=[acme.pk])).content.decode()
    assert "still has 2 integration(s)" in page
    response = client.post(reverse("inventory:vendor_delete", args=[acme.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Vendor.all_tenants.filter(pk=acme.pk).exists()


def test_change_log_filters(admin_a, inventory_a, login):
    client = login(admin_a)
    crm = inventory_a["Acme CRM"]
    client.post(reverse("inventory:integration_edit", args=[crm.pk]),
                form_data(crm, department="Vertrieb", endpoints="https://x.example"))
    everything = client.get(reverse("inventory:change_list")).content.decode()
    assert "arne" not in everything
    users = client.get(reverse("inventory:change_list") + "?actor=user").content.decode()
    assert "anna.admin" in users and "Slack Workspace" not in users  # fixtures were created by the system
    system = client.get(reverse("inventory:change_list") + "?actor=system").content.decode()
    assert "Slack Workspace" in system
    endpoints = client.get(reverse("inventory:change_list") + "?type=endpoint").content.decode()
    assert "https://x.example" in endpoints and "Slack Workspace" not in endpoints
    search = client.get(reverse("inventory:change_list") + "?q=Slack").content.decode()
    assert "Slack Workspace" in search and "Acme CRM" not in search


def test_integration_delete_is_logged_and_visible_in_change_log(admin_a, inventory_a, login):
    client = login(admin_a)
    wiki = inventory_a["Wiki Plugin"]
    client.post(reverse("inventory:integration_delete", args=[wiki.pk]))
    log = client.get(reverse("inventory:change_list") + "?type=integration&actor=user").content.decode()
    assert "Wiki Plugin" in log and "action-delete" in log
