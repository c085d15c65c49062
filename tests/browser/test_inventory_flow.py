"""A real browser: log in, search (HTMX), open, edit, and see the change in the history; then German."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD, acting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(tenant_a, admin_a, make_vendor):
    from vendorvet.web.inventory.models import Integration

    vendors = {
        "acme": make_vendor(tenant_a, "Acme Cloud Inc.", country="US"),
        "datev": make_vendor(tenant_a, "DATEV eG", country="DE"),
        "atlassian": make_vendor(tenant_a, "Atlassian Pty Ltd", country="AU"),
    }
    rows = [
        ("Acme CRM", "acme", "Sales", "approved", ["personal"]),
        ("DATEV Lohn und Gehalt", "datev", "HR", "approved_with_conditions", ["personal", "financial"]),
        ("DATEV Unternehmen online", "datev", "Finance", "in_review", ["financial"]),
        ("Jira Cloud", "atlassian", "IT", "approved", ["internal"]),
        ("Confluence", "atlassian", "IT", "proposed", ["internal", "personal"]),
    ]
    with acting(tenant_a):
        for name, vendor, department, status, categories in rows:
            Integration.objects.create(name=name, vendor=vendors[vendor], department=department, status=status,
                                       data_categories=categories)
    return admin_a


def result_names(page) -> list[str]:
    return page.locator("#results td.primary > a").all_inner_texts()


def test_login_search_edit_and_history(live_server, seeded, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", seeded.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # the landing page; the inventory list is one click away
    page.goto(f"{live_server.url}/integrations/")
    rows = page.locator("#results td.primary")
    expect(rows).to_have_count(5)

    # type in the search box: HTMX swaps the table and pushes the URL
    page.fill("input[name=q]", "datev")
    expect(rows).to_have_count(2)
    assert result_names(page) == ["DATEV Lohn und Gehalt", "DATEV Unternehmen online"]
    expect(page).to_have_url(re.compile(r"/integrations/\?q=datev"))
    # a filter narrows it further, through the same HTMX request
    page.select_option("select[name=department]", "HR")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"department=HR"))
    # open the integration, edit the department, save
    page.click("#results >> text=DATEV Lohn und Gehalt")
    page.wait_for_url("**/integrations/*/")
    assert page.locator("h1").inner_text() == "DATEV Lohn und Gehalt"
    page.click("a:has-text('Edit')")
    page.fill("input[name=department]", "People & Culture")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/integrations/*/")
    assert "People & Culture" in page.locator("main").inner_text()
    assert "was saved" in page.locator(".messages").inner_text()

    # the history shows the change with before/after and who made it
    page.click("a:has-text('History')")
    page.wait_for_url("**/history/")
    entry = page.locator(".timeline > li").first
    text = entry.inner_text()
    assert seeded.username in text
    row = entry.locator("table.diff tr", has_text="Department")
    assert row.locator("td.before").inner_text() == "HR"
    assert row.locator("td.after").inner_text() == "People & Culture"
    assert page.console_errors == []


def test_switch_language_to_german(live_server, seeded, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#language-switch", "de")  # app.js submits the form on change
    page.wait_for_selector("button:has-text('Anmelden')")
    page.fill("input[name=username]", seeded.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Anmelden')")
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/integrations/")
    nav = page.locator("nav.mainnav").inner_text()
    assert "Integrationen" in nav and "Anbieter" in nav and "Änderungsprotokoll" in nav
    assert "Freigegeben" in page.locator("#results").inner_text()
    page.select_option("#language-switch", "en")
    page.wait_for_selector("nav.mainnav >> text=Change log")
    assert page.console_errors == []
