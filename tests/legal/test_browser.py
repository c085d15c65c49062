"""A real browser: the legal panel loads by HTMX on the integration page; a transfer check is run from the
legal page, and a new sub-processor re-runs it and flags the undeclared country."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (the fixture, shared)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_panel_check_and_sub_processor(live_server, admin_a, legal_a, browser_page):  # noqa: F811
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard

    crm = legal_a["crm"]
    page.goto(f"{live_server.url}/integrations/{crm.pk}/")
    panel = page.locator("#legal-panel")
    expect(panel).to_contain_text("No transfer check has been run yet.")
    panel.get_by_role("link", name="Legal details").click()
    page.get_by_role("button", name="Run transfer check").click()
    expect(page.locator("#verdict")).to_contain_text("SCCs + TIA required")
    expect(page.locator("#verdict")).to_contain_text("Module 2: controller to processor")

    # the German vendor declares Germany only; an Indian sub-processor is added
    hr, hosting = legal_a["hr"], legal_a["hosting"]
    page.goto(f"{live_server.url}/legal/integrations/{hr.pk}/")
    page.select_option("#id_declared_countries", ["DE"])
    page.locator("form:has(#id_declared_countries) button[type=submit]").click()
    page.goto(f"{live_server.url}/legal/vendors/{hosting.pk}/")
    page.fill("#sub-processors input[name=name]", "Support India Pvt")
    page.select_option("#sub-processors select[name=country]", "IN")
    page.locator("#sub-processors button[type=submit]").last.click()
    expect(page.locator(".messages")).to_contain_text("1 transfer check(s) re-run")
    page.goto(f"{live_server.url}/integrations/{hr.pk}/")
    expect(page.locator("#legal-panel")).to_contain_text("Declares EEA-only, but detected:")
    expect(page.locator("#legal-panel")).to_contain_text("Onward transfer needs SCCs")
    assert page.console_errors == []
