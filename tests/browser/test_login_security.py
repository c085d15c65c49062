"""A real Chromium against waitress on 127.0.0.1: the lockout after the configured number of failures, its
message, and its release by a tenant administrator on the "Locked logins" page; the account page at 390 px."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.accounts_security.conftest import http_server  # noqa: F401 - the waitress fixture
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@override_settings(AXES_FAILURE_LIMIT=3, VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT=100)
def test_lockout_and_release_in_the_browser(http_server, admin_a, auditor_a, browser_page):  # noqa: F811
    page = browser_page
    for _ in range(2):
        _login(page, http_server, "aylin.auditor", "wrong-password-123")
        assert "correct username and password" in page.locator(".nonfield-errors").inner_text()
    _login(page, http_server, "aylin.auditor", "wrong-password-123")
    assert "Too many failed logins" in page.locator("#lockout-message").inner_text()
    _login(page, http_server, "aylin.auditor", PASSWORD)  # the right password is refused while locked
    assert page.locator("#lockout-message").is_visible() and "/accounts/login/" in page.url

    # the tenant administrator unlocks on the web page (in a second browser context)
    admin = page.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(admin, http_server, "anna.admin", PASSWORD)
    admin.goto(f"{http_server}/accounts/lockouts/")
    row = admin.locator("#locks tr", has_text="aylin.auditor")
    assert "\t4\t" in row.inner_text()  # three failures and the refused attempt while locked
    row.locator("button", has_text="Unlock").click()
    admin.wait_for_load_state()
    assert "was unlocked" in admin.locator(".messages").inner_text()
    assert "Nothing is locked." in admin.locator("#locks").inner_text()
    admin.context.close()

    _login(page, http_server, "aylin.auditor", PASSWORD)
    page.wait_for_url("**/dashboard/")
    # the account page lists this session and is usable at 390 px
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{http_server}/accounts/account/")
    assert "this session" in page.locator("#sessions").inner_text()
    # the page's own content fits (the wide session table scrolls inside its box; the top navigation is shared)
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 390
    # the only console errors are Chromium's notes on the two HTTP 429 answers (no CSP violation, no script error)
    assert [e for e in page.console_errors if "status of 429" not in e] == []
