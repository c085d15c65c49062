"""/api/accounts/me/ and /api/accounts/tokens/: keys shown once, own vs. all tokens, revocation rules."""

from __future__ import annotations

import pytest
from django.test import Client
from django.middleware.csrf import _get_new_csrf_string

from tests.api.conftest import client_with
from tests.conftest import PASSWORD, acting
from vendorvet.web.accounts.models import APIToken
from vendorvet.web.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def session_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=PASSWORD)
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    client.defaults["HTTP_X_CSRFTOKEN"] = csrf
    return client


def test_me_describes_user_tenant_role_and_token(tenant_a, assessor_a, token_for):
    token, key = token_for(tenant_a, assessor_a, name="reporting")
    body = client_with(key).get("/api/accounts/me/").json()
    assert body["username"] == "arne.assessor"
    assert body["tenant"] == {"id": tenant_a.pk, "name": tenant_a.name, "slug": "nordlicht"}
    assert body["role"] == "assessor"
    assert body["permissions"] == ["add", "change", "export", "import", "view"]
    assert body["authentication"] == "token"
    assert body["token"]["id"] == token.pk and body["token"]["read_only"] is False


def test_session_creates_token_key_shown_once_and_works(tenant_a, admin_a):
    client = session_client(admin_a)
    response = client.post("/api/accounts/tokens/", {"name": "nightly export", "days": 30, "read_only": True},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    key = body["key"]
    assert key.startswith("vv_") and key.startswith(body["prefix"] + ".")
    assert body["read_only"] is True and body["state"] == "active" and "key_hash" not in body
    token = APIToken.all_tenants.get(pk=body["id"])
    assert token.user == admin_a and token.tenant == tenant_a
    assert 29 <= (token.expires - token.created).days <= 30
    listed = client.get("/api/accounts/tokens/").json()["results"]
    assert [t["id"] for t in listed] == [token.pk]
    assert "key" not in listed[0] and "key_hash" not in listed[0]
    detail = client.get(f"/api/accounts/tokens/{token.pk}/").json()
    assert "key" not in detail and key not in repr(detail) and token.key_hash not in repr(detail)
    me = client_with(key).get("/api/accounts/me/").json()
    assert me["token"]["id"] == token.pk and me["permissions"] == ["export", "view"]
    with acting(tenant_a):
        change = ObjectChange.objects.get(changed_object_type__model="apitoken", changed_object_id=token.pk)
    assert change.actor_kind == "user" and "key_hash" not in change.postchange_data
    assert key.split(".")[1] not in repr(change.postchange_data)


@pytest.mark.parametrize("payload,field", [
    ({"name": ""}, "name"), ({"name": "x" * 101}, "name"), ({"name": "x", "days": 0}, "days"),
    ({"name": "x", "days": 366}, "days"),
])
def test_token_create_validation(payload, field, tenant_a, admin_a):
    response = session_client(admin_a).post("/api/accounts/tokens/", payload, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not APIToken.all_tenants.exists()


def test_tokens_cannot_create_tokens(tenant_a, admin_a, token_for):
    _token, key = token_for(tenant_a, admin_a)
    response = client_with(key).post("/api/accounts/tokens/", {"name": "successor"}, format="json")
    assert response.status_code == 403
    assert APIToken.all_tenants.count() == 1


def test_auditor_may_create_own_token_which_stays_read_only_by_role(tenant_a, auditor_a, make_integration):
    integration = make_integration(tenant_a)
    response = session_client(auditor_a).post("/api/accounts/tokens/", {"name": "audit"}, content_type="application/json")
    assert response.status_code == 201
    client = client_with(response.json()["key"])
    assert client.get("/api/inventory/integrations/").status_code == 200
    assert client.patch(f"/api/inventory/integrations/{integration.pk}/", {"notes": "x"}, format="json").status_code == 403


def test_members_see_own_tokens_admins_see_all(tenant_a, admin_a, assessor_a, token_for):
    admin_token, admin_key = token_for(tenant_a, admin_a, name="admin's")
    assessor_token, assessor_key = token_for(tenant_a, assessor_a, name="assessor's")
    assert {t["id"] for t in client_with(assessor_key).get("/api/accounts/tokens/").json()["results"]} == {assessor_token.pk}
    all_ids = {t["id"] for t in client_with(admin_key).get("/api/accounts/tokens/").json()["results"]}
    assert all_ids == {admin_token.pk, assessor_token.pk}
    assert client_with(assessor_key).get(f"/api/accounts/tokens/{admin_token.pk}/").status_code == 404


def test_revoke_own_token(tenant_a, assessor_a, token_for):
    token, key = token_for(tenant_a, assessor_a)
    other, other_key = token_for(tenant_a, assessor_a, name="second")
    response = client_with(key).post(f"/api/accounts/tokens/{other.pk}/revoke/")
    assert response.status_code == 200 and response.json()["state"] == "revoked"
    assert client_with(other_key).get("/api/accounts/me/").status_code == 401
    revoked_at = APIToken.all_tenants.get(pk=other.pk).revoked
    assert client_with(key).post(f"/api/accounts/tokens/{other.pk}/revoke/").status_code == 200
    assert APIToken.all_tenants.get(pk=other.pk).revoked == revoked_at  # idempotent
    with acting(tenant_a):
        change = ObjectChange.objects.get(changed_object_type__model="apitoken", changed_object_id=other.pk,
                                          action="update")
    assert change.actor_kind == "token" and change.token_id == token.pk
    assert change.prechange_data["revoked"] is None and change.postchange_data["revoked"]


def test_only_admins_revoke_other_peoples_tokens(tenant_a, admin_a, assessor_a, token_for):
    admin_token, admin_key = token_for(tenant_a, admin_a)
    assessor_token, assessor_key = token_for(tenant_a, assessor_a)
    assert client_with(assessor_key).post(f"/api/accounts/tokens/{admin_token.pk}/revoke/").status_code == 404
    assert APIToken.all_tenants.get(pk=admin_token.pk).revoked is None
    assert client_with(admin_key).post(f"/api/accounts/tokens/{assessor_token.pk}/revoke/").status_code == 200
    assert client_with(assessor_key).get("/api/accounts/me/").status_code == 401


def test_read_only_token_cannot_revoke(tenant_a, admin_a, token_for):
    target, _ = token_for(tenant_a, admin_a, name="target")
    _ro, ro_key = token_for(tenant_a, admin_a, read_only=True)
    assert client_with(ro_key).post(f"/api/accounts/tokens/{target.pk}/revoke/").status_code == 403
    assert APIToken.all_tenants.get(pk=target.pk).revoked is None


def test_tokens_have_no_delete_or_update(tenant_a, admin_a, token_for):
    token, key = token_for(tenant_a, admin_a)
    client = client_with(key)
    assert client.delete(f"/api/accounts/tokens/{token.pk}/").status_code == 405
    assert client.patch(f"/api/accounts/tokens/{token.pk}/", {"read_only": True}, format="json").status_code == 405
    assert APIToken.all_tenants.get(pk=token.pk).read_only is False
