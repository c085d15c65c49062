"""Chromium: two scans with a change in between; the integration page's monitoring panel (HTMX) shows the
event with before/after, and acknowledging it from the Monitoring page works (CSP on, no console errors)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (fixture)
from tests.conftest import PASSWORD, acting
from tests.scans.conftest import GOOD_HEADERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def test_change_appears_in_the_panel_and_is_acknowledged(live_server, browser_page, assessor_a,  # noqa: F811
                                                         allow_private, scan_settings, scanned_integration,
                                                         vendor_site):
    from playwright.sync_api import expect

    from vendorvet.web.monitoring.models import AlertRule, MonitoringEvent
    from vendorvet.web.scans import services

    port, site = vendor_site
    with acting(scanned_integration.tenant, kind="system"):
        AlertRule.objects.create(name="silent", enabled=False)
        services.start_scan(scanned_integration)
        site.default = (200, [*GOOD_HEADERS, ("Deprecation", "@1700000000")], b"{}")
        services.start_scan(scanned_integration)
    event = MonitoringEvent.all_tenants.get()

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard
    page.goto(f"{live_server.url}/integrations/{scanned_integration.pk}/")
    panel = page.locator("#monitoring-panel")
    expect(panel).to_contain_text(event.title)  # swapped in by HTMX
    expect(panel).to_contain_text("passed → warning")  # the changes of the run as a readable list
    panel.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(f"**/integrations/{scanned_integration.pk}/")
    expect(page.locator("ul.messages")).to_contain_text("The event is now acknowledged.")
    expect(page.locator("#monitoring-panel")).to_contain_text("acknowledged")
    page.goto(f"{live_server.url}/monitoring/")
    expect(page.locator("table")).to_contain_text(event.title)
    assert page.console_errors == []
    event.refresh_from_db()
    assert event.state == "acknowledged" and event.state_changed_by == assessor_a.username
