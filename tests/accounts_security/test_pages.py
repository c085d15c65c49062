"""The new pages in German, CSP-clean, and tenant-scoped (no invitation or session of another tenant/user leaks)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, acting
from tests.web.conftest import assert_csp_clean

pytestmark = pytest.mark.django_db


def _client(user, **headers):
    client = Client(**headers)
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def test_pages_in_german_and_csp_clean(admin_a):
    anon = Client(HTTP_ACCEPT_LANGUAGE="de")
    for url, german in [("/accounts/login/", "Passwort vergessen?"),
                        ("/accounts/password/reset/", "Link senden"),
                        ("/accounts/password/reset/sent/", "Prüfen Sie Ihre E-Mails"),
                        ("/accounts/invite/kaputt/", "Einladungslink ist ungültig")]:
        html = anon.get(url).content.decode()
        assert german in html, url
        assert_csp_clean(html)
    client = _client(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    for url, german in [("/accounts/account/", "Aktive Sitzungen"), ("/accounts/password/", "Passwort ändern"),
                        ("/accounts/lockouts/", "Gesperrte Anmeldungen"), ("/accounts/members/", "Mitglied einladen")]:
        html = client.get(url).content.decode()
        assert german in html, url
        assert_csp_clean(html)


def test_invitations_and_sessions_stay_in_their_tenant_and_user(admin_a, admin_b, tenant_b):
    from vendorvet.web.accounts.security import invitations
    from vendorvet.web.accounts.security.models import Invitation, UserSession

    with acting(tenant_b, admin_b):
        theirs, token = invitations.create("geheim.person@example.test", "assessor")
    client_b = _client(admin_b)
    client_a = _client(admin_a)
    assert "geheim.person" in client_b.get("/accounts/members/").content.decode()
    assert "geheim.person" not in client_a.get("/accounts/members/").content.decode()
    assert client_a.post(f"/accounts/invitations/{theirs.pk}/withdraw/").status_code == 404
    assert Invitation.all_tenants.get(pk=theirs.pk).revoked is None
    # another user's session cannot be ended by guessing its id
    other = UserSession.objects.filter(user=admin_b).first()
    assert client_a.post(f"/accounts/account/sessions/{other.pk}/end/").status_code == 404
    assert UserSession.objects.filter(pk=other.pk).exists()
    assert "bernd.admin" not in client_a.get("/accounts/account/").content.decode()
    # the stored hash is not the link's secret, and the link does not contain the hash
    assert theirs.token_hash not in token and len(theirs.token_hash) == 64


def test_only_administrators_invite(auditor_a, assessor_a):
    for user in (auditor_a, assessor_a):
        response = _client(user).post("/accounts/invitations/", {"email": "x@example.test", "role": "admin"})
        assert response.status_code == 403
    from vendorvet.web.accounts.security.models import Invitation

    assert Invitation.all_tenants.count() == 0
