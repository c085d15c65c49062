"""/api/inventory/tier-policy/: everyone reads it; only 'decide' changes it; tiers follow."""

from __future__ import annotations

import pytest

from vendorvet.web.core.context import use_tenant
from vendorvet.web.inventory.models import Integration

pytestmark = pytest.mark.django_db


def test_read_change_and_refuse(api_as, tenant_a, admin_a, assessor_a, make_integration):
    crm = make_integration(tenant_a, name="CRM", data_categories=["financial"])
    assert crm.tier == 2
    reader = api_as(tenant_a, assessor_a)
    body = reader.get("/api/inventory/tier-policy/").json()
    assert body["rules"] == {} and body["rules_in_force"]["version"]
    change = {"rules": {"data.financial": {"tier": 3}}, "justification": "Only invoices of suppliers."}
    assert reader.put("/api/inventory/tier-policy/", change, format="json").status_code == 403
    admin = api_as(tenant_a, admin_a)
    assert admin.put("/api/inventory/tier-policy/", {"rules": {"data.financial": {"tier": 9}}, "justification": "x"},
                     format="json").status_code == 400
    assert admin.put("/api/inventory/tier-policy/", {**change, "justification": ""}, format="json").status_code == 400
    response = admin.put("/api/inventory/tier-policy/", change, format="json")
    assert response.status_code == 200
    assert response.json()["changed_integrations"] == 1
    assert response.json()["rules"] == {"data.financial": {"tier": 3}}
    with use_tenant(tenant_a):
        assert Integration.objects.get(pk=crm.pk).tier == 3
