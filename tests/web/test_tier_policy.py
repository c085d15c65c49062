"""Per-tenant tier rules: only 'decide' may change them; tiers are recomputed and the change recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from vendorvet import content
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Integration, TierPolicy

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def default_form(**changes) -> dict:
    data = {}
    for rule in content.load("tiering")["rules"]:
        data[f"tier__{rule['id']}"] = str(rule["tier"])
        data[f"enabled__{rule['id']}"] = "on"
        for key in ("records_at_least", "users_at_least"):
            if key in rule["when"]:
                data[f"{key}__{rule['id']}"] = str(rule["when"][key])
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_lowers_a_threshold_and_tiers_follow_with_history(tenant_a, admin_a, make_integration):
    crm = make_integration(tenant_a, name="CRM", data_categories=["personal"], approx_records=20_000)
    assert crm.tier == 3
    client = login(admin_a)
    form = default_form(**{"records_at_least__data.personal.large": "10.000",
                           "justification": "We hold customer data of a bank; 10,000 records is already a lot."})
    response = client.post("/tier-policy/", form)
    assert response.status_code == 302
    with use_tenant(tenant_a):
        crm.refresh_from_db()
        assert crm.tier == 2
        assert TierPolicy.objects.get().rules == {"data.personal.large": {"records_at_least": 10_000}}
        change = ObjectChange.objects.filter(changed_object_id=crm.pk, action="update").first()
        assert change.diff == [("tier", 3, 2)] and change.user_id == admin_a.pk
    page = client.get(f"/integrations/{crm.pk}/").content.decode()
    assert "personal data of 100,000 or more records" in page  # the reason text names the default
    assert "+tenant" in page


def test_switching_a_rule_off_and_justification_required(tenant_a, admin_a, make_integration):
    big = make_integration(tenant_a, name="Intranet", data_categories=["none"], approx_users=5000)
    assert big.tier == 2
    client = login(admin_a)
    no_reason = default_form(**{"enabled__reach.users": None, "justification": ""})
    assert client.post("/tier-policy/", no_reason).status_code == 400
    with use_tenant(tenant_a):
        assert not TierPolicy.objects.exists()
    ok = default_form(**{"enabled__reach.users": None, "justification": "Headcount says nothing here."})
    assert client.post("/tier-policy/", ok).status_code == 302
    with use_tenant(tenant_a):
        assert Integration.objects.get(pk=big.pk).tier == 4


def test_bad_values_are_refused_and_nothing_changes(tenant_a, admin_a):
    client = login(admin_a)
    response = client.post("/tier-policy/", default_form(**{"tier__data.financial": "7",
                                                            "justification": "x"}))
    assert response.status_code == 400
    assert "data.financial" in response.content.decode()
    with use_tenant(tenant_a):
        assert not TierPolicy.objects.exists()


def test_assessor_and_auditor_can_read_but_not_change(tenant_a, assessor_a, auditor_a, tenant_b, admin_b):
    for user in (assessor_a, auditor_a):
        client = login(user)
        assert client.get("/tier-policy/").status_code == 200
        assert client.post("/tier-policy/", default_form(justification="x")).status_code == 403
    with use_tenant(tenant_a):
        assert not TierPolicy.objects.exists()


def test_policy_is_per_tenant(tenant_a, tenant_b, admin_a, make_integration, make_vendor):
    vendor_b = make_vendor(tenant_b, name="B Vendor")
    other = make_integration(tenant_b, name="B App", vendor=vendor_b, data_categories=["financial"])
    client = login(admin_a)
    client.post("/tier-policy/", default_form(**{"tier__data.financial": "4", "justification": "test"}))
    with use_tenant(tenant_b):
        assert Integration.objects.get(pk=other.pk).tier == 2
