"""The Django admin is for installation operators (active superusers) only; admin edits are logged."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Integration

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser("operator", "op@example.test", PASSWORD)


def test_tenant_admin_and_staff_are_refused(admin_a, login, client):
    tenant_admin = login(admin_a)
    response = tenant_admin.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True)
    assert client.login(username="staff", password=PASSWORD)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/inventory/integration/").status_code == 302
    staff.is_superuser = True
    staff.is_active = True
    staff.save()
    assert client.get("/admin/").status_code == 200


def test_operator_sees_all_tenants_and_edits_are_logged(operator, inventory_a, inventory_b, client):
    client.login(username="operator", password=PASSWORD)
    listing = client.get("/admin/inventory/integration/").content.decode()
    assert "Acme CRM" in listing and "Secret Fleet Tracker" in listing
    for url in ("/admin/accounts/tenant/", "/admin/accounts/membership/", "/admin/accounts/apitoken/",
                "/admin/inventory/vendor/", "/admin/core/objectchange/"):
        assert client.get(url).status_code == 200, url
    crm = inventory_a["Acme CRM"]
    page = client.get(f"/admin/inventory/integration/{crm.pk}/change/")
    assert page.status_code == 200
    data = {
        "name": crm.name, "vendor": crm.vendor_id, "kind": crm.kind, "purpose": "", "business_owner": "",
        "department": "Operations", "status": crm.status, "data_categories": '["personal"]', "data_subjects": "[]",
        "approx_users": "120", "approx_records": "", "processing_countries": "[]", "access_scope": "",
        "outage_impact": "", "discovery_source": "manual", "tags": "[]", "notes": "",
        "endpoints-TOTAL_FORMS": "0", "endpoints-INITIAL_FORMS": "0", "endpoints-MIN_NUM_FORMS": "0",
        "endpoints-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/inventory/integration/{crm.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Integration.all_tenants.get(pk=crm.pk).department == "Operations"
    change = ObjectChange.all_tenants.filter(changed_object_id=crm.pk, action="update").first()
    assert change.user_id == operator.pk and change.tenant_id == crm.tenant_id
    assert change.actor_label == "operator (admin)"


def test_change_history_is_read_only_in_admin(operator, inventory_a, client):
    client.login(username="operator", password=PASSWORD)
    change = ObjectChange.all_tenants.first()
    assert client.get("/admin/core/objectchange/add/").status_code == 403
    assert client.get(f"/admin/core/objectchange/{change.pk}/delete/").status_code == 403
    view = client.get(f"/admin/core/objectchange/{change.pk}/change/")
    assert view.status_code == 200 and b'type="submit" value="Save"' not in view.content


def test_admin_cannot_link_across_tenants(operator, inventory_a, inventory_b, client):
    client.login(username="operator", password=PASSWORD)
    crm = inventory_a["Acme CRM"]
    data = {
        "name": crm.name, "vendor": inventory_b["vendor"].pk, "kind": crm.kind, "status": crm.status,
        "data_categories": "[]", "data_subjects": "[]", "processing_countries": "[]", "tags": "[]",
        "discovery_source": "manual", "endpoints-TOTAL_FORMS": "0", "endpoints-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/inventory/integration/{crm.pk}/change/", data)
    assert response.status_code == 200
    assert "belongs to another tenant" in response.content.decode()
    assert Integration.all_tenants.get(pk=crm.pk).vendor_id == crm.vendor_id


def test_token_admin_never_shows_hash_and_revokes(operator, admin_a, tenant_a, client):
    from tests.conftest import acting
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant_a, admin_a):
        token, _key = APIToken.issue(admin_a, "ci")
    client.login(username="operator", password=PASSWORD)
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.key_hash not in page and f"vv_{token.key_id}" in page
    response = client.post("/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    assert ObjectChange.all_tenants.filter(changed_object_id=token.pk, action="update",
                                           user=operator).exists()
