"""Token authentication: hashed storage, rejection of bad tokens, 401 vs 403, session + CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from tests.api.conftest import client_with
from tests.conftest import PASSWORD, acting
from vendorvet.web.accounts.models import APIToken, Membership

pytestmark = pytest.mark.django_db


def _all_database_text() -> str:
    """Every value in every table, as text — to prove a secret is stored nowhere."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.append(repr(row))
    return "\n".join(chunks)


def test_unauthenticated_is_401_with_token_challenge(anon_api):
    response = anon_api.get("/api/inventory/integrations/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_is_stored_only_hashed(tenant_a, admin_a, token_for):
    token, key = token_for(tenant_a, admin_a)
    secret = key.split(".", 1)[1]
    assert len(secret) >= 40
    dump = _all_database_text()
    assert token.key_hash in dump  # the dump really contains the token row
    assert secret not in dump and key not in dump
    assert client_with(key).get("/api/accounts/me/").status_code == 200


@pytest.mark.parametrize("header", [
    "Token",
    "Token a b",
    "Token not-a-vendorvet-token",
    "Token vv_nodot",
    "Token vv_000000000000.wrongsecret",
    "Bearer vv_",
    "Token vv_ä.x",
])
def test_malformed_or_unknown_tokens_are_rejected(tenant_a, admin_a, header):
    client = Client()
    response = client.get("/api/inventory/integrations/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_right_id_wrong_secret_is_rejected(tenant_a, admin_a, token_for):
    _token, key = token_for(tenant_a, admin_a)
    key_id, secret = key.split(".", 1)
    forged = f"{key_id}.{secret[:-2]}{'AA' if not secret.endswith('AA') else 'BB'}"
    assert client_with(forged).get("/api/accounts/me/").status_code == 401
    assert client_with(key).get("/api/accounts/me/").status_code == 200


def test_bearer_keyword_is_accepted(tenant_a, admin_a, token_for):
    _token, key = token_for(tenant_a, admin_a)
    response = client_with(key, keyword="Bearer").get("/api/accounts/me/")
    assert response.status_code == 200
    assert response.json()["username"] == admin_a.username


def test_expired_token_is_rejected(tenant_a, admin_a, token_for):
    token, key = token_for(tenant_a, admin_a)
    APIToken.all_tenants.filter(pk=token.pk).update_untracked(expires=timezone.now() - timedelta(seconds=1))
    response = client_with(key).get("/api/accounts/me/")
    assert response.status_code == 401


def test_revoked_token_is_rejected(tenant_a, admin_a, token_for):
    token, key = token_for(tenant_a, admin_a)
    assert client_with(key).get("/api/accounts/me/").status_code == 200
    with acting(tenant_a):
        token.revoke()
    assert client_with(key).get("/api/accounts/me/").status_code == 401


def test_token_of_deactivated_user_is_rejected(tenant_a, admin_a, token_for):
    _token, key = token_for(tenant_a, admin_a)
    admin_a.is_active = False
    admin_a.save()
    assert client_with(key).get("/api/accounts/me/").status_code == 401


def test_token_of_user_who_lost_membership_is_forbidden(tenant_a, assessor_a, token_for, make_integration):
    make_integration(tenant_a)
    _token, key = token_for(tenant_a, assessor_a)
    assert client_with(key).get("/api/inventory/integrations/").status_code == 200
    with acting(tenant_a):
        Membership.objects.get(user=assessor_a).delete()
    client = client_with(key)
    assert client.get("/api/inventory/integrations/").status_code == 403
    assert client.get("/api/accounts/me/").status_code == 403
    assert client.post("/api/inventory/vendors/", {"name": "X"}, format="json").status_code == 403


def test_token_follows_the_users_current_role(tenant_a, assessor_a, token_for, make_integration):
    integration = make_integration(tenant_a)
    _token, key = token_for(tenant_a, assessor_a)
    client = client_with(key)
    assert client.patch(f"/api/inventory/integrations/{integration.pk}/", {"notes": "x"}, format="json").status_code == 200
    with acting(tenant_a):
        m = Membership.objects.get(user=assessor_a)
        m.role = "auditor"
        m.save()
    assert client.patch(f"/api/inventory/integrations/{integration.pk}/", {"notes": "y"}, format="json").status_code == 403


def test_read_only_token_can_only_read(tenant_a, admin_a, token_for, make_integration):
    integration = make_integration(tenant_a)
    _token, key = token_for(tenant_a, admin_a, read_only=True)
    client = client_with(key)
    assert client.get("/api/inventory/integrations/").status_code == 200
    assert client.get(f"/api/inventory/integrations/{integration.pk}/").status_code == 200
    assert client.post("/api/inventory/vendors/", {"name": "New Vendor"}, format="json").status_code == 403
    assert client.patch(f"/api/inventory/integrations/{integration.pk}/", {"notes": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/inventory/integrations/{integration.pk}/").status_code == 403
    me = client.get("/api/accounts/me/").json()
    assert me["role"] == "admin" and me["permissions"] == ["export", "view"]
    with acting(tenant_a):
        from vendorvet.web.inventory.models import Integration, Vendor

        assert Integration.objects.get(pk=integration.pk).notes == ""
        assert not Vendor.objects.filter(name="New Vendor").exists()


def test_last_used_is_recorded(tenant_a, admin_a, token_for):
    token, key = token_for(tenant_a, admin_a)
    assert token.last_used is None
    client_with(key).get("/api/accounts/me/")
    token = APIToken.all_tenants.get(pk=token.pk)
    assert token.last_used is not None and timezone.now() - token.last_used < timedelta(minutes=1)


def test_session_auth_works_and_enforces_csrf(tenant_a, admin_a):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=admin_a.username, password=PASSWORD)
    me = client.get("/api/accounts/me/")
    assert me.status_code == 200
    assert me.json()["authentication"] == "session" and me.json()["tenant"]["slug"] == tenant_a.slug
    payload = '{"name": "Session Vendor"}'
    refused = client.post("/api/inventory/vendors/", payload, content_type="application/json")
    assert refused.status_code == 403
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    created = client.post("/api/inventory/vendors/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert created.status_code == 201, created.content
    with acting(tenant_a):
        from vendorvet.web.core.models import ObjectChange

        change = ObjectChange.objects.get(changed_object_id=created.json()["id"], action="create",
                                          changed_object_type__model="vendor")
        assert change.actor_kind == "user" and change.user_id == admin_a.pk


def test_api_responses_are_not_cacheable(tenant_a, admin_a, token_for):
    _token, key = token_for(tenant_a, admin_a)
    response = client_with(key).get("/api/accounts/me/")
    assert response["Cache-Control"] == "no-store"


def test_session_user_without_tenant_is_forbidden(db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="no.tenant", password=PASSWORD)
    client = Client()
    assert client.login(username="no.tenant", password=PASSWORD)
    assert client.get("/api/accounts/me/").status_code == 403
    assert client.get("/api/inventory/integrations/").status_code == 403
