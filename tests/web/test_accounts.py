"""API tokens page and members page (with the last-administrator guard)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from vendorvet.web.accounts.models import APIToken, Membership
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange

pytestmark = pytest.mark.django_db
TOKENS = reverse("accounts:tokens")
MEMBERS = reverse("accounts:members")


def test_create_token_shows_key_once_and_it_authenticates(auditor_a, login):
    client = login(auditor_a)
    response = client.post(TOKENS, {"name": "ERP sync", "days": "30", "read_only": "on"})
    assert response.status_code == 201
    html = response.content.decode()
    key = re.search(r'id="new-token-key">([^<]+)<', html).group(1)
    token = APIToken.authenticate(key)
    assert token is not None and token.user == auditor_a and token.read_only
    assert key not in client.get(TOKENS).content.decode()  # shown exactly once
    assert token.key_hash not in html


def test_token_validation(auditor_a, login):
    response = login(auditor_a).post(TOKENS, {"name": "", "days": "0"})
    assert response.status_code == 400
    assert APIToken.all_tenants.count() == 0


def test_users_see_own_tokens_admins_see_all_and_revoke(admin_a, auditor_a, tenant_a, login):
    with use_tenant(tenant_a):
        from tests.conftest import acting

        with acting(tenant_a, auditor_a, role="auditor"):
            mine, _key = APIToken.issue(auditor_a, "auditor laptop")
        with acting(tenant_a, admin_a):
            theirs, _key = APIToken.issue(admin_a, "admin script")
    auditor = login(auditor_a)
    page = auditor.get(TOKENS).content.decode()
    assert "auditor laptop" in page and "admin script" not in page
    # an auditor cannot revoke someone else's token (looks like it does not exist)
    assert auditor.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert auditor.post(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked is not None
    admin = login(admin_a)
    page = admin.get(TOKENS).content.decode()
    assert "auditor laptop" in page and "admin script" in page and "revoked" in page
    assert admin.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked is not None
    assert admin.get(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 405


def test_token_of_other_tenant_cannot_be_revoked(admin_a, admin_b, tenant_b, login):
    from tests.conftest import acting

    with acting(tenant_b, admin_b):
        foreign, _key = APIToken.issue(admin_b, "b token")
    assert login(admin_a).post(reverse("accounts:token_revoke", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked is None


def test_members_page_invites_instead_of_adding_usernames(admin_a, admin_b, tenant_a, login):
    """Members join by invitation with consent (tests/accounts_security); a username is never accepted here."""
    client = login(admin_a)
    page = client.get(MEMBERS).content.decode()
    assert "bernd.admin" not in page and 'name="email"' in page and 'name="username"' not in page
    assert client.post(MEMBERS, {"username": "bernd.admin", "role": "auditor"}).status_code == 405
    assert not Membership.all_tenants.filter(user=admin_b, tenant=tenant_a).exists()


def test_last_admin_cannot_be_removed_or_demoted(admin_a, auditor_a, tenant_a, login):
    client = login(admin_a)
    with use_tenant(tenant_a):
        mine = Membership.objects.get(user=admin_a)
        auditor = Membership.objects.get(user=auditor_a)
    demote = client.post(reverse("accounts:member_role", args=[mine.pk]), {"role": "auditor"}, follow=True)
    assert "last administrator" in demote.content.decode()
    remove = client.post(reverse("accounts:member_remove", args=[mine.pk]), follow=True)
    assert "last administrator" in remove.content.decode()
    with use_tenant(tenant_a):
        assert Membership.objects.get(pk=mine.pk).role == "admin"
    # promote the auditor; then the first admin may step down
    client.post(reverse("accounts:member_role", args=[auditor.pk]), {"role": "admin"})
    client.post(reverse("accounts:member_role", args=[mine.pk]), {"role": "assessor"})
    with use_tenant(tenant_a):
        assert dict(Membership.objects.values_list("user__username", "role")) == {
            "anna.admin": "assessor", "aylin.auditor": "admin"}
    # anna is no longer an admin: the members page is closed to her
    assert client.get(MEMBERS).status_code == 403


def test_remove_member(admin_a, auditor_a, tenant_a, login):
    client = login(admin_a)
    with use_tenant(tenant_a):
        auditor = Membership.objects.get(user=auditor_a)
    assert client.post(reverse("accounts:member_remove", args=[auditor.pk])).status_code == 302
    with use_tenant(tenant_a):
        assert not Membership.objects.filter(user=auditor_a).exists()
    # removed from the tenant: the user now lands on the "no tenant" page
    assert login(auditor_a).get(reverse("inventory:integration_list")).status_code == 403


def test_members_of_other_tenant_cannot_be_changed(admin_a, admin_b, tenant_b, login):
    with use_tenant(tenant_b):
        theirs = Membership.objects.get(user=admin_b)
    client = login(admin_a)
    assert client.post(reverse("accounts:member_role", args=[theirs.pk]), {"role": "auditor"}).status_code == 404
    assert client.post(reverse("accounts:member_remove", args=[theirs.pk])).status_code == 404
    assert Membership.all_tenants.get(pk=theirs.pk).role == "admin"
