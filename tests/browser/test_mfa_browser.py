"""A real browser against waitress on loopback: TOTP enrolment and login, recovery codes, passkeys with
Chromium's virtual WebAuthn authenticator."""

from __future__ import annotations

import base64
import time

import pytest

from tests.conftest import PASSWORD
from tests.support.live_waitress import release_test_connections, waitress_server  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_now(secret_text: str, offset: int = 0) -> str:
    from django_otp.oath import totp

    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=-offset, digits=6):06d}"


def password_login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")


def logout(page) -> None:
    page.click("button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")


def test_totp_enrolment_login_and_single_use_recovery_codes(waitress_server, admin_a, browser_page,
        release_test_connections):
    from playwright.sync_api import expect

    from vendorvet.web.accounts.mfa.models import RecoveryCode

    page, base = browser_page, waitress_server
    password_login(page, base, admin_a.username)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{base}/accounts/mfa/")
    page.click("a:has-text('Add an authenticator app')")
    page.wait_for_url("**/accounts/mfa/totp/add/")
    qr = page.locator(".qr img").get_attribute("src")
    assert qr.startswith("data:image/svg+xml")  # rendered by the server, no outside request
    assert page.locator(".qr img").evaluate("img => img.complete && img.naturalWidth > 100")  # it shows
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=code]", "000000" if totp_now(secret) != "000000" else "111111")
    page.click("button:has-text('Confirm and add')")
    expect(page.locator(".errorlist")).to_contain_text("does not match")
    time.sleep(1.1)  # django-otp throttles the next try for a second after a wrong code
    page.fill("input[name=code]", totp_now(secret))
    page.click("button:has-text('Confirm and add')")
    page.wait_for_url("**/accounts/mfa/")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert RecoveryCode.objects.filter(user=admin_a, used__isnull=True).count() == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()  # stored only as hashes
    page.reload()
    assert page.locator("#recovery-codes").count() == 0  # shown once
    logout(page)

    # password alone no longer logs in: the second step asks for a code
    password_login(page, base, admin_a.username)
    page.wait_for_url("**/accounts/mfa/verify/")
    page.goto(f"{base}/integrations/")
    assert "/accounts/login/" in page.url  # not logged in yet
    password_login(page, base, admin_a.username)
    page.wait_for_url("**/accounts/mfa/verify/")
    page.fill("input[name=code]", "123456" if totp_now(secret, 30) != "123456" else "654321")
    page.click("button:has-text('Confirm')")
    expect(page.locator(".errorlist")).to_contain_text("not valid")
    time.sleep(1.1)  # the throttle after one wrong code
    # the code of the next time step (the current one was used at enrolment; codes are never accepted twice)
    page.fill("input[name=code]", totp_now(secret, 30))
    page.click("button:has-text('Confirm')")
    page.wait_for_url("**/dashboard/")
    logout(page)

    # a recovery code works once
    password_login(page, base, admin_a.username)
    page.wait_for_url("**/accounts/mfa/verify/")
    page.fill("input[name=code]", codes[0].upper())
    page.click("button:has-text('Confirm')")
    page.wait_for_url("**/dashboard/")
    expect(page.locator(".messages")).to_contain_text("9 are left")
    logout(page)
    password_login(page, base, admin_a.username)
    page.wait_for_url("**/accounts/mfa/verify/")
    page.fill("input[name=code]", codes[0])
    page.click("button:has-text('Confirm')")
    expect(page.locator(".errorlist")).to_contain_text("already used")
    assert "/accounts/mfa/verify/" in page.url
    # wrong codes answer 400/429 (the browser notes those); nothing else, and nothing the CSP refused
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


def test_passkey_enrolment_and_login_with_a_virtual_authenticator(waitress_server, admin_a, browser_page,
        release_test_connections):
    from vendorvet.web.accounts.mfa.models import Passkey

    page, base = browser_page, waitress_server
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    password_login(page, base, admin_a.username)
    page.wait_for_url("**/dashboard/")
    page.goto(f"{base}/accounts/mfa/passkeys/add/")
    page.fill("#passkey-name", "Laptop")
    page.click("#passkey-register")
    page.wait_for_url("**/accounts/mfa/")
    assert "Laptop" in page.locator("main").inner_text()
    assert page.locator("#recovery-codes code").count() == 10
    passkey = Passkey.objects.get(user=admin_a)
    assert passkey.name == "Laptop"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]})["credentials"]
    assert len(credentials) == 1
    logout(page)

    password_login(page, base, admin_a.username)
    page.wait_for_url("**/accounts/mfa/verify/")
    page.click("#passkey-login")
    page.wait_for_url("**/dashboard/")
    passkey.refresh_from_db()
    assert passkey.last_used is not None

    # without the authenticator, the passkey cannot sign in
    logout(page)
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": added["authenticatorId"]})
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    password_login(page, base, admin_a.username)
    page.wait_for_url("**/accounts/mfa/verify/")
    page.click("#passkey-login")
    page.wait_for_selector("[data-passkey-error]:not([hidden])", timeout=15000)
    time.sleep(0.2)
    assert "/accounts/mfa/verify/" in page.url
