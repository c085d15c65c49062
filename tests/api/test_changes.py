"""The change history over the API: fields, filters, read-only."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(tenant_a, admin_a, make_integration, api_as):
    integration = make_integration(tenant_a, name="Ticketing", status="proposed")  # logged as system
    client = api_as(tenant_a, admin_a)
    client.patch(f"/api/inventory/integrations/{integration.pk}/",
                 {"status": "approved", "endpoints": ["https://tickets.example"]}, format="json")
    return client, integration


def test_change_fields_and_diff(history):
    client, integration = history
    body = client.get("/api/core/changes/", {"object_type": "inventory.integration", "object_id": integration.pk,
                                        "include_related": "false"}).json()
    assert [c["action"] for c in body["results"]] == ["update", "create"]
    update = body["results"][0]
    assert update["object_type"] == "inventory.integration" and update["object_id"] == integration.pk
    assert update["object_repr"] == "Ticketing"
    assert update["actor_kind"] == "token" and update["token"] is not None
    assert update["prechange_data"]["status"] == "proposed"
    assert update["postchange_data"]["status"] == "approved"
    assert {"field": "status", "before": "proposed", "after": "approved"} in update["diff"]
    assert all(d["before"] != d["after"] for d in update["diff"])
    assert update["time"] and update["related_object_type"] is None


def test_object_history_includes_children_like_the_web_ui(tenant_a, history):
    client, integration = history
    body = client.get("/api/core/changes/", {"object_type": "inventory.integration",
                                        "object_id": integration.pk}).json()
    types = [c["object_type"] for c in body["results"]]
    assert "inventory.endpoint" in types and types.count("inventory.integration") == 2
    endpoint_change = next(c for c in body["results"] if c["object_type"] == "inventory.endpoint")
    assert endpoint_change["related_object_type"] == "inventory.integration"
    assert endpoint_change["related_object_id"] == integration.pk
    with acting(tenant_a):
        assert endpoint_change["object_id"] == Endpoint.objects.get(integration=integration).pk


def test_filter_by_type_and_actor_kind(history):
    client, _integration = history
    endpoints = client.get("/api/core/changes/", {"object_type": "inventory.endpoint"}).json()["results"]
    assert endpoints and {c["object_type"] for c in endpoints} == {"inventory.endpoint"}
    by_token = client.get("/api/core/changes/", {"actor_kind": "token"}).json()["results"]
    assert by_token and {c["actor_kind"] for c in by_token} == {"token"}
    by_system = client.get("/api/core/changes/", {"actor_kind": "system"}).json()["results"]
    assert by_system and {c["actor_kind"] for c in by_system} == {"system"}
    assert {c["id"] for c in by_token}.isdisjoint({c["id"] for c in by_system})


@pytest.mark.parametrize("params,field", [
    ({"object_type": "auth.user"}, "object_type"),
    ({"object_type": "nonsense"}, "object_type"),
    ({"object_id": "3"}, "object_type"),
    ({"object_type": "inventory.vendor", "object_id": "-1"}, "object_id"),
    ({"actor_kind": "robot"}, "actor_kind"),
])
def test_bad_change_filters_are_400(params, field, history):
    client, _integration = history
    response = client.get("/api/core/changes/", params)
    assert response.status_code == 400 and field in response.json()


def test_history_is_read_only(history):
    client, _integration = history
    change_id = client.get("/api/core/changes/").json()["results"][0]["id"]
    assert client.post("/api/core/changes/", {}, format="json").status_code == 405
    assert client.delete(f"/api/core/changes/{change_id}/").status_code == 405
    assert client.patch(f"/api/core/changes/{change_id}/", {"actor_label": "x"}, format="json").status_code == 405
    assert ObjectChange.all_tenants.filter(pk=change_id).exists()


def test_auditor_may_read_history(tenant_a, auditor_a, history, api_as):
    response = api_as(tenant_a, auditor_a).get("/api/core/changes/")
    assert response.status_code == 200 and response.json()["count"] >= 3
