"""Chromium: the integration page loads the scan panel by HTMX; Scan now runs and shows the grade (CSP on)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (fixture)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def test_scan_now_in_the_browser(live_server, browser_page, assessor_a, allow_private, scan_settings,  # noqa: F811
                                 scanned_integration):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard
    page.goto(f"{live_server.url}/integrations/{scanned_integration.pk}/")
    panel = page.locator("section.scan-panel")
    expect(panel).to_contain_text("Not scanned yet")  # swapped in by HTMX
    panel.get_by_role("button", name="Scan now").click()
    page.wait_for_url(f"**/integrations/{scanned_integration.pk}/")
    expect(page.locator("ul.messages")).to_contain_text("The scan is finished.")
    expect(panel.locator(".scan-target-head .grade")).to_have_text(re.compile(r"^[AB]$"))
    failed = panel.locator("details.scan-group.status-fail")
    expect(failed).to_have_attribute("open", "")
    failed.locator("summary", has_text="security.txt").first.click()
    expect(failed).to_contain_text("What to ask the vendor:")
    assert page.console_errors == []  # no CSP violation, no script error
