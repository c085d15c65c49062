"""Second factor rules over the Django test client: the second step, enforcement per tenant and role,
re-authentication to remove a factor, the audit hook, and the tenant's policy page."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.web.conftest import assert_csp_clean

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
VERIFY = reverse("mfa:verify")
MANAGE = reverse("mfa:manage")


def add_totp(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def code_for(device, offset: int = 0) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset, digits=device.digits):06d}"


def password_step(user) -> tuple[Client, object]:
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    return client, response


def test_password_alone_does_not_log_in_a_user_with_a_second_factor(admin_a):
    device = add_totp(admin_a)
    client, response = password_step(admin_a)
    assert response.status_code == 302 and response.url == VERIFY
    assert "_auth_user_id" not in client.session  # not logged in before the second factor
    assert client.get(reverse("inventory:integration_list")).status_code == 302
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert_csp_clean(page.content.decode())
    code = code_for(device)  # one code for both posts: a second code_for() may fall into the next 30 s step
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("inventory:integration_list")).status_code == 200
    # the same code never works twice (replay), even in a new login
    client2, _ = password_step(admin_a)
    assert client2.post(VERIFY, {"code": code}).status_code in (400, 429)


def test_too_many_wrong_codes_end_the_pending_login(admin_a):
    from vendorvet.web.accounts.mfa.models import RecoveryCode

    RecoveryCode.generate(admin_a)
    add_totp(admin_a)
    client, _ = password_step(admin_a)
    for _ in range(4):
        assert client.post(VERIFY, {"code": "wrong-guess"}).status_code == 400
    response = client.post(VERIFY, {"code": "wrong-guess"})
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get(VERIFY).status_code == 302  # must start again with the password


def test_pending_login_expires(admin_a, monkeypatch):
    from vendorvet.web.accounts.mfa import flow

    device = add_totp(admin_a)
    client, _ = password_step(admin_a)
    real = time.time
    monkeypatch.setattr(flow.time, "time", lambda: real() + flow.PENDING_SECONDS + 1)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response.url == LOGIN


def test_a_login_around_the_second_step_is_caught(admin_a):
    """E.g. the Django admin's own login form: the session is logged in but the factor not proven."""
    add_totp(admin_a)
    client = Client()
    assert client.login(username=admin_a.username, password=PASSWORD)
    response = client.get(reverse("inventory:integration_list"))
    assert response.status_code == 302 and response.url == VERIFY
    assert client.get("/api/me/").status_code == 403


def test_tenant_requirement_sends_members_without_a_factor_to_enrolment(tenant_a, admin_a, auditor_a, login):
    from vendorvet.web.accounts.mfa.models import TenantMfaPolicy

    admin = login(admin_a)
    auditor = login(auditor_a)
    assert auditor.get(reverse("inventory:integration_list")).status_code == 200
    TenantMfaPolicy.objects.create(tenant=tenant_a, require="admins")
    assert auditor.get(reverse("inventory:integration_list")).status_code == 200
    response = admin.get(reverse("inventory:integration_list"))
    assert response.status_code == 302 and response.url == MANAGE
    page = admin.get(MANAGE)
    assert page.status_code == 200 and "requires two-factor authentication" in page.content.decode()
    # nor can that administrator lower the requirement before enrolling
    assert admin.post(reverse("mfa:policy"), {"require": "none"}).url == MANAGE
    assert TenantMfaPolicy.objects.get(tenant=tenant_a).require == "admins"
    TenantMfaPolicy.objects.filter(tenant=tenant_a).update(require="all")
    assert auditor.get(reverse("inventory:integration_list")).url == MANAGE


def test_installation_minimum_cannot_be_relaxed_by_a_tenant(tenant_a, admin_a, assessor_a, login, settings):
    from vendorvet.web.accounts.mfa import policy
    from vendorvet.web.accounts.mfa.models import TenantMfaPolicy

    settings.VENDORVET_MFA_REQUIRE = "admins"
    TenantMfaPolicy.objects.create(tenant=tenant_a, require="none")
    assert policy.tenant_requirement(tenant_a) == "admins"
    assert login(admin_a).get(reverse("inventory:integration_list")).url == MANAGE
    assert login(assessor_a).get(reverse("inventory:integration_list")).status_code == 200


def test_policy_page_is_for_administrators(tenant_a, admin_a, auditor_a, login):
    from vendorvet.web.accounts.mfa.models import TenantMfaPolicy

    url = reverse("mfa:policy")
    assert login(auditor_a).get(url).status_code == 403
    assert login(auditor_a).post(url, {"require": "none"}).status_code == 403
    admin = login(admin_a)
    page = admin.get(url)
    assert page.status_code == 200
    assert_csp_clean(page.content.decode())
    assert admin.post(url, {"require": "everyone"}).status_code == 400
    assert admin.post(url, {"require": "all"}).status_code == 302
    assert TenantMfaPolicy.objects.get(tenant=tenant_a).require == "all"


def test_removing_a_factor_needs_the_password_and_is_announced(admin_a, login):
    from vendorvet.web.accounts.mfa.models import RecoveryCode
    from vendorvet.web.accounts.mfa.signals import mfa_changed
    from vendorvet.web.accounts.mfa.policy import has_second_factor

    device = add_totp(admin_a)
    RecoveryCode.generate(admin_a)
    client, _ = password_step(admin_a)
    client.post(VERIFY, {"code": code_for(device)})
    seen = []

    def receiver(sender, user, action, detail, request, **kwargs):
        seen.append((user.pk, action, detail))

    mfa_changed.connect(receiver)
    try:
        url = reverse("mfa:totp_remove", args=[device.pk])
        assert client.post(url, {"password": "not-my-password"}).status_code == 400
        assert has_second_factor(admin_a)
        assert client.post(url, {"password": PASSWORD}).status_code == 302
    finally:
        mfa_changed.disconnect(receiver)
    assert not has_second_factor(admin_a)
    assert not RecoveryCode.objects.filter(user=admin_a).exists()
    assert seen == [(admin_a.pk, "totp_removed", "Phone")]


def test_others_factors_cannot_be_touched(admin_a, auditor_a, login):
    device = add_totp(admin_a)
    client = login(auditor_a)
    assert client.get(reverse("mfa:totp_remove", args=[device.pk])).status_code == 404
    assert client.post(reverse("mfa:totp_remove", args=[device.pk]), {"password": PASSWORD}).status_code == 404


def test_recovery_codes_are_hashed_and_single_use(admin_a):
    from vendorvet.web.accounts.mfa.models import RecoveryCode

    codes = RecoveryCode.generate(admin_a)
    assert len(codes) == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()
    assert RecoveryCode.consume(admin_a, codes[3].upper().replace("-", " "))
    assert not RecoveryCode.consume(admin_a, codes[3])
    assert RecoveryCode.remaining(admin_a) == 9
    new = RecoveryCode.generate(admin_a)
    assert not RecoveryCode.consume(admin_a, codes[0])  # old codes stop working
    assert RecoveryCode.consume(admin_a, new[0])


def test_enrolment_pages_render_under_the_csp(admin_a, login):
    client = login(admin_a)
    for url in (MANAGE, reverse("mfa:totp_add"), reverse("mfa:passkey_add"), LOGIN):
        page = (client if url != LOGIN else Client()).get(url)
        assert page.status_code == 200, url
        assert_csp_clean(page.content.decode())


def test_second_factor_and_sso_pages_in_german(admin_a, login):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    manage = client.get(MANAGE).content.decode()
    for german in ("Zwei-Faktor-Authentisierung", "Authenticator-App hinzufügen", "Passkey hinzufügen"):
        assert german in manage, german
    page = Client(HTTP_ACCEPT_LANGUAGE="de").get(LOGIN).content.decode()
    assert "Mit Single Sign-on anmelden" in page and "Weiter mit Single Sign-on" in page
    add = client.get(reverse("mfa:totp_add")).content.decode()
    assert "Geben Sie den sechsstelligen Code ein" in add


def test_wrong_codes_throttle_the_next_attempts(admin_a, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # one wrong code: a minute's wait (default: 1 s, doubling)
    device = add_totp(admin_a)
    client, _ = password_step(admin_a)
    assert client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"}).status_code == 400
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 429
    assert "Wait a few seconds" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_factor_added_elsewhere_is_asked_for_at_the_next_request(admin_a, login):
    """The front door remembers "no second factor" in the session, but only until a factor changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(admin_a)
    assert client.get(reverse("inventory:integration_list")).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("inventory:integration_list")).status_code == 200
    assert not [q for q in ctx.captured_queries if "totpdevice" in q["sql"] or "passkey" in q["sql"]]
    add_totp(admin_a)  # e.g. enrolled in another browser
    response = client.get(reverse("inventory:integration_list"))
    assert response.status_code == 302 and response.url == VERIFY


def test_a_removed_factor_is_noticed_and_a_new_login_is_looked_at_afresh(admin_a, login):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vendorvet.web.accounts.mfa.models import Passkey

    client = login(admin_a)
    assert client.get(reverse("inventory:integration_list")).status_code == 200
    passkey = Passkey.objects.create(user=admin_a, name="Key", credential_id="cred-1", public_key="pk", sign_count=0)
    assert client.get(reverse("inventory:integration_list")).url == VERIFY
    passkey.delete()
    assert client.get(reverse("inventory:integration_list")).status_code == 200
    # a factor written without model signals (bulk) is still caught by the next login in the same browser
    TOTPDevice.objects.bulk_create([TOTPDevice(user=admin_a, name="Phone", confirmed=True)])
    assert client.login(username=admin_a.username, password=PASSWORD)
    assert client.get(reverse("inventory:integration_list")).url == VERIFY
