"""One user, two tenants, three interfaces: nothing of tenant B reaches a user of tenant A.

The same secret markers are planted in tenant B and then looked for through every
way a user of tenant A can read: web pages and exports, the REST API, and the CLI.
Roles are enforced the same way on all three.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, acting
from vendorvet.cli.main import main
from vendorvet.web.accounts.models import APIToken
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db

SECRET = "HAFENBLICK-SECRET"


@pytest.fixture
def world(tenant_a, tenant_b, admin_a, auditor_a, admin_b, make_vendor, make_integration):
    own_vendor = make_vendor(tenant_a, name="Nordlicht Supplier GmbH", country="DE")
    own = make_integration(tenant_a, name="Nordlicht CRM", vendor=own_vendor, department="Sales")
    their_vendor = make_vendor(tenant_b, name=f"{SECRET} Vendor Ltd", country="GB")
    theirs = make_integration(tenant_b, name=f"{SECRET} Payroll", vendor=their_vendor, department=f"{SECRET} HR",
                              data_categories=["personal", "financial"], notes=SECRET)
    with acting(tenant_b):
        their_contact = Contact.objects.create(vendor=their_vendor, name=f"{SECRET} Contact")
        their_endpoint = Endpoint.objects.create(integration=theirs, url="https://hafenblick-secret.example/api")
        their_token, _key = APIToken.issue(admin_b, f"{SECRET} token")
    return {
        "own": own, "theirs": theirs, "their_vendor": their_vendor, "their_contact": their_contact,
        "their_endpoint": their_endpoint, "their_token": their_token,
    }


def web_client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_client(tenant, user, read_only=False) -> APIClient:
    with acting(tenant):
        _token, key = APIToken.issue(user, "isolation test", read_only=read_only)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_web_lists_exports_and_guessed_ids(world, admin_a):
    client = web_client(admin_a)
    for url in ("/dashboard/", "/dashboard/tenants/", "/integrations/", "/integrations/?q=HAFENBLICK", "/vendors/",
                "/changes/", "/accounts/tokens/", "/accounts/members/", "/integrations/export.csv",
                "/integrations/export.json",
                f"/integrations/?vendor={world['their_vendor'].pk}"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in body, url
    theirs, vendor = world["theirs"].pk, world["their_vendor"].pk
    for url in (f"/integrations/{theirs}/", f"/integrations/{theirs}/edit/", f"/integrations/{theirs}/history/",
                f"/integrations/{theirs}/delete/", f"/vendors/{vendor}/", f"/vendors/{vendor}/edit/",
                f"/vendors/{vendor}/history/"):
        assert client.get(url).status_code == 404, url
    # writing by guessed id changes nothing
    assert client.post(f"/integrations/{theirs}/edit/", {"name": "pwned"}).status_code == 404
    assert client.post(f"/integrations/{theirs}/delete/").status_code == 404
    assert client.post(f"/accounts/tokens/{world['their_token'].pk}/revoke/").status_code == 404
    with use_tenant(world["theirs"].tenant):
        stored = Integration.objects.get(pk=theirs)
        assert stored.name == f"{SECRET} Payroll"
        assert APIToken.objects.get(pk=world["their_token"].pk).revoked is None


def test_web_tenant_switch_only_to_own_tenants(world, admin_a):
    client = web_client(admin_a)
    response = client.post("/accounts/tenant/", {"tenant": world["theirs"].tenant_id})
    assert response.status_code == 404
    assert SECRET.encode() not in client.get("/integrations/").content


def test_api_lists_guessed_ids_and_cross_tenant_references(world, tenant_a, admin_a):
    client = api_client(tenant_a, admin_a)
    for url in ("/api/integrations/", "/api/vendors/", "/api/contacts/", "/api/endpoints/", "/api/changes/",
                "/api/tokens/", "/api/me/", "/api/integrations/?q=HAFENBLICK",
                "/api/inventory/integrations/?facet=legal.personal_no_dpa", "/api/dashboard/figures/",
                "/api/dashboard/trends/", "/api/dashboard/tenants/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    # the dashboard counts only A's integrations, and the provider view names only A
    facet = client.get("/api/inventory/integrations/?facet=legal.personal_no_dpa").json()
    figures = {f["key"]: f["value"] for f in client.get("/api/dashboard/figures/").json()["figures"]}
    assert facet["count"] == figures["legal.personal_no_dpa"] == 0  # B's payroll has personal data, no AVV
    assert sum(v or 0 for k, v in figures.items() if k.startswith("inventory.tier")) == 1
    tenants = client.get("/api/dashboard/tenants/").json()["results"]
    assert [row["tenant_id"] for row in tenants] == [tenant_a.pk]
    for url in (f"/api/integrations/{world['theirs'].pk}/", f"/api/vendors/{world['their_vendor'].pk}/",
                f"/api/contacts/{world['their_contact'].pk}/", f"/api/endpoints/{world['their_endpoint'].pk}/"):
        assert client.get(url).status_code == 404, url
        assert client.patch(url, {"name": "pwned"}, format="json").status_code == 404, url
        assert client.delete(url).status_code == 404, url
    # referencing tenant B's vendor from tenant A is refused, not linked
    response = client.post("/api/integrations/", {"name": "Sneaky", "vendor": world["their_vendor"].pk},
                           format="json")
    assert response.status_code == 400
    assert client.post(f"/api/tokens/{world['their_token'].pk}/revoke/").status_code == 404
    with use_tenant(tenant_a):
        assert not Integration.objects.filter(name="Sneaky").exists()


def test_api_token_of_b_cannot_be_used_for_a(world, tenant_a, tenant_b, admin_b):
    client = api_client(tenant_b, admin_b)
    names = [row["name"] for row in client.get("/api/integrations/").json()["results"]]
    assert names == [f"{SECRET} Payroll"]
    assert client.get(f"/api/integrations/{world['own'].pk}/").status_code == 404


def test_cli_export_token_list_and_foreign_tenant(world, admin_a, capsys):
    assert main(["export", "--format", "json", "--tenant", "nordlicht", "--user", "anna.admin"]) == 0
    exported = json.loads(capsys.readouterr().out)
    text = json.dumps(exported)
    assert "Nordlicht CRM" in text and SECRET not in text
    assert main(["token", "list", "--format", "json", "--tenant", "nordlicht", "--user", "anna.admin"]) == 0
    assert SECRET not in capsys.readouterr().out
    # not a member of B: same refusal whether or not the tenant exists
    assert main(["export", "--format", "json", "--tenant", "hafenblick", "--user", "anna.admin"]) == 1
    refused = capsys.readouterr()
    assert SECRET not in refused.out and "not a member" in refused.err
    assert main(["export", "--format", "json", "--tenant", "no-such-tenant", "--user", "anna.admin"]) == 1
    assert refused.err.replace("hafenblick", "X") == capsys.readouterr().err.replace("no-such-tenant", "X")
    assert main(["token", "revoke", str(world["their_token"].pk), "--tenant", "nordlicht", "--user",
                 "anna.admin"]) != 0
    with use_tenant(world["theirs"].tenant):
        assert APIToken.objects.get(pk=world["their_token"].pk).revoked is None


def test_cli_import_never_touches_another_tenant(world, tenant_b, admin_a, tmp_path, capsys):
    path = tmp_path / "guess.csv"
    path.write_text(f"Vendor;Integration;Department\n{SECRET} Vendor Ltd;{SECRET} Payroll;Overwritten\n",
                    encoding="utf-8")
    assert main(["import", str(path), "--tenant", "nordlicht", "--user", "anna.admin"]) == 0
    capsys.readouterr()
    with use_tenant(tenant_b):
        assert Integration.objects.get(pk=world["theirs"].pk).department == f"{SECRET} HR"
        assert Vendor.objects.count() == 1
    with use_tenant(world["own"].tenant):  # it landed in A as A's own new record
        assert Integration.objects.filter(name=f"{SECRET} Payroll").count() == 1


def test_auditor_is_read_only_on_every_interface(world, tenant_a, auditor_a, tmp_path, capsys):
    own = world["own"]
    with use_tenant(tenant_a):
        changes_before = ObjectChange.objects.count()
    web = web_client(auditor_a)
    assert web.get(f"/integrations/{own.pk}/").status_code == 200
    assert web.get(f"/integrations/{own.pk}/edit/").status_code == 403
    assert web.post(f"/integrations/{own.pk}/edit/", {"name": "x"}).status_code == 403
    assert web.post(f"/integrations/{own.pk}/delete/").status_code == 403
    assert web.get("/integrations/import/").status_code == 403
    assert web.get("/integrations/export.csv").status_code == 200  # auditors may export
    api = api_client(tenant_a, auditor_a)
    assert api.get(f"/api/integrations/{own.pk}/").status_code == 200
    assert api.patch(f"/api/integrations/{own.pk}/", {"department": "x"}, format="json").status_code == 403
    assert api.delete(f"/api/integrations/{own.pk}/").status_code == 403
    assert api.post("/api/vendors/", {"name": "New Vendor"}, format="json").status_code == 403
    path = tmp_path / "edit.csv"
    path.write_text("Vendor;Integration;Department\nNordlicht Supplier GmbH;Nordlicht CRM;Changed\n",
                    encoding="utf-8")
    assert main(["import", str(path), "--tenant", "nordlicht", "--user", "aylin.auditor"]) == 1
    assert "permission denied" in capsys.readouterr().err
    assert main(["export", "--format", "csv", "--tenant", "nordlicht", "--user", "aylin.auditor"]) == 0
    capsys.readouterr()
    with use_tenant(tenant_a):
        assert Integration.objects.get(pk=own.pk).department == "Sales"
        assert ObjectChange.objects.count() == changes_before + 1  # only the auditor's own API token
