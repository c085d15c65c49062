"""``vendorvet token create|list|revoke``: key shown once, works against the API, same role rules, logged as cli."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from vendorvet.cli.main import main
from vendorvet.web.accounts.models import APIToken
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def token_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["token", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_create_prints_key_once_and_it_authenticates(capsys, tenant_a, admin_a, make_integration):
    make_integration(tenant_a, name="Field Service App")
    code, out, err = token_cli(capsys, "create", "--name", "CI export", "--days", "30",
                               "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 0, err
    key = out.strip()
    assert key.startswith("vv_") and "\n" not in key  # stdout is the key alone, for $(…)
    assert "shown only once" in err and "CI export" in err
    token = APIToken.all_tenants.get()
    assert token.user == admin_a and token.tenant == tenant_a and token.name == "CI export"
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)
    assert key.split(".")[1] not in repr(APIToken.all_tenants.values().get())

    response = api(key).get("/api/integrations/")
    assert response.status_code == 200
    assert [i["name"] for i in response.json()["results"]] == ["Field Service App"]
    me = api(key).get("/api/me/").json()
    assert me["tenant"]["slug"] == "nordlicht" and me["role"] == "admin"

    with use_tenant(tenant_a):
        change = ObjectChange.objects.get(changed_object_type__model="apitoken", changed_object_id=token.pk)
    assert change.action == "create" and change.actor_kind == "cli" and change.user_id == admin_a.pk

    code, out, _err = token_cli(capsys, "list", "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 0 and key not in out and "CI export" in out and f"vv_{token.key_id}" in out


def test_read_only_token_from_cli_cannot_write(capsys, tenant_a, admin_a, make_integration):
    integration = make_integration(tenant_a)
    code, out, _err = token_cli(capsys, "create", "--name", "ro", "--read-only",
                                "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 0
    client = api(out.strip())
    assert client.get(f"/api/integrations/{integration.pk}/").status_code == 200
    assert client.patch(f"/api/integrations/{integration.pk}/", {"notes": "x"}, format="json").status_code == 403


def test_list_json_shows_own_tokens_or_all_for_admins(capsys, tenant_a, admin_a, assessor_a):
    assert token_cli(capsys, "create", "--name", "admin tok", "--tenant", "nordlicht", "--user", "anna.admin")[0] == 0
    assert token_cli(capsys, "create", "--name", "assessor tok", "--tenant", "nordlicht",
                     "--user", "arne.assessor")[0] == 0
    code, out, _ = token_cli(capsys, "list", "--format", "json", "--tenant", "nordlicht", "--user", "arne.assessor")
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows] == ["assessor tok"]
    assert rows[0]["state"] == "active" and rows[0]["user"] == "arne.assessor"
    assert "key" not in rows[0] and "key_hash" not in rows[0]
    code, out, _ = token_cli(capsys, "list", "--format", "json", "--tenant", "nordlicht", "--user", "anna.admin")
    assert sorted(r["name"] for r in json.loads(out)) == ["admin tok", "assessor tok"]


def test_revoke_disables_the_token_and_is_logged(capsys, tenant_a, admin_a):
    _, key, _ = token_cli(capsys, "create", "--name", "temp", "--tenant", "nordlicht", "--user", "anna.admin")
    key = key.strip()
    token = APIToken.all_tenants.get()
    assert api(key).get("/api/me/").status_code == 200
    code, out, err = token_cli(capsys, "revoke", str(token.pk), "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 0, err
    assert "is now revoked" in out
    assert api(key).get("/api/me/").status_code == 401
    with use_tenant(tenant_a):
        change = ObjectChange.objects.get(changed_object_type__model="apitoken", changed_object_id=token.pk,
                                          action="update")
    assert change.actor_kind == "cli" and change.postchange_data["revoked"]
    code, out, _ = token_cli(capsys, "list", "--tenant", "nordlicht", "--user", "anna.admin")
    assert "revoked" in out


def test_assessor_cannot_revoke_someone_elses_token(capsys, tenant_a, admin_a, assessor_a):
    token_cli(capsys, "create", "--name", "admin's", "--tenant", "nordlicht", "--user", "anna.admin")
    token = APIToken.all_tenants.get()
    code, _out, err = token_cli(capsys, "revoke", str(token.pk), "--tenant", "nordlicht", "--user", "arne.assessor")
    assert code == 1 and "no token" in err
    assert APIToken.all_tenants.get().revoked is None


def test_other_tenants_token_is_invisible(capsys, tenant_a, tenant_b, admin_a, admin_b):
    token_cli(capsys, "create", "--name", "hafen", "--tenant", "hafenblick", "--user", "bernd.admin")
    b_token = APIToken.all_tenants.get()
    code, out, _ = token_cli(capsys, "list", "--format", "json", "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 0 and json.loads(out) == []
    code, _out, err = token_cli(capsys, "revoke", str(b_token.pk), "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 1 and "no token" in err
    assert APIToken.all_tenants.get().revoked is None
    # and a user of A cannot act in B at all
    code, _out, err = token_cli(capsys, "create", "--name", "x", "--tenant", "hafenblick", "--user", "anna.admin")
    assert code == 1 and "not a member" in err
    assert APIToken.all_tenants.count() == 1


@pytest.mark.parametrize("args,message", [
    (["--name", "x", "--days", "0"], "days"),
    (["--name", "x", "--days", "400"], "days"),
    (["--name", "   "], "name"),
])
def test_create_rejects_bad_input(capsys, tenant_a, admin_a, args, message):
    code, out, err = token_cli(capsys, "create", *args, "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 2 and message in err and out == ""
    assert not APIToken.all_tenants.exists()


def test_user_is_required(capsys, tenant_a, admin_a, monkeypatch):
    monkeypatch.delenv("VENDORVET_USER", raising=False)
    code, out, err = token_cli(capsys, "create", "--name", "x", "--tenant", "nordlicht")
    assert code == 2 and "--user" in err and out == ""
