"""The dashboard in a real browser with the demo data, in English and German, and at 390 px:
no console errors (strict CSP), the tier matrix and the SVG trends render, every figure's link opens a list
showing the same number; the service-provider view shows the user's two tenants and nothing of a third."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_user(db):
    from django.contrib.auth import get_user_model

    from vendorvet.web.core.context import tenant_session
    from vendorvet.web.core.events import task_actor
    from vendorvet.web.dashboard.snapshots import take_snapshot
    from vendorvet.web.demo import grant_demo_admin, load_demo

    from vendorvet.web.accounts.models import Tenant

    demo = [tenant for tenant, _created in load_demo()]
    tenants, others = demo[:2], demo[2:]  # a member of two demo tenants; the third (if any) is not theirs
    user = get_user_model().objects.create_user(username="demo.lead", password=PASSWORD)
    grant_demo_admin(user, tenants)
    Tenant.objects.create(name="Drittfirma Geheim GmbH", slug="drittfirma")  # the user is not a member
    for tenant in tenants:
        with tenant_session(tenant, task_actor()):
            take_snapshot()
    return user, tenants, others


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")


def _follow_every_figure(page, base) -> int:
    """Open each figure's link from the dashboard; the list must show the dashboard's number. Returns how many."""
    page.goto(f"{base}/dashboard/")
    figures = page.eval_on_selector_all(
        "a[data-figure][data-count]",
        "els => els.map(e => [e.dataset.figure, e.dataset.count, e.getAttribute('href')])")
    for key, count, href in figures:
        page.goto(base + href)
        listed = page.locator("[data-result-count]")
        assert listed.count() == 1, (key, href)
        assert listed.get_attribute("data-result-count") == count, (key, count, href)
        assert count in listed.inner_text(), (key, count)  # the number is visible, not only an attribute
    return len(figures)


def test_dashboard_in_english_and_german(live_server, demo_user, browser_page):
    from playwright.sync_api import expect

    user, tenants, others = demo_user
    page = browser_page
    _login(page, live_server.url, user.username)
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.locator("#tiers-heading")).to_have_text("Integrations by tier and status")
    assert page.locator(".dash-chart svg[role=img]").count() == 3  # the trends
    assert page.locator("svg.dash-bars[role=img]").count() >= 1  # shares as bars
    # a figure's link opens the list behind it, showing the same number
    cell = page.locator("[data-figure='monitoring.open']")
    count = cell.locator(".dash-count").inner_text()
    cell.click()
    page.wait_for_url("**/monitoring/**")
    expect(page.locator(".result-count")).to_contain_text(count)

    assert _follow_every_figure(page, live_server.url) > 50

    page.goto(f"{live_server.url}/dashboard/")
    page.select_option("#language-switch", "de")
    page.wait_for_selector("h1:has-text('Übersicht')")
    expect(page.locator("#tiers-heading")).to_have_text("Integrationen nach Stufe und Status")
    assert "Trends der letzten zwölf Monate" in page.content()
    expect(page.locator("h2", has_text="Personenbezogene Daten: AVV und Drittlandübermittlungen")).to_be_visible()
    assert _follow_every_figure(page, live_server.url) > 50
    page.goto(f"{live_server.url}/dashboard/")

    # usable at 390 px: the page's blocks fit the screen (the wide tier matrix scrolls inside its box)
    page.set_viewport_size({"width": 390, "height": 800})
    for selector in ("h1", ".table-scroll", ".dash-grid", ".dash-chart svg"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (selector, box)
    if len(tenants) > 1:
        page.goto(f"{live_server.url}/dashboard/tenants/")
        expect(page.locator("h1")).to_have_text("Alle meine Mandanten")
        assert page.locator("tbody tr").count() == len(tenants) == 2
        for tenant in tenants:
            expect(page.locator("tbody th", has_text=tenant.name)).to_be_visible()
        assert "Drittfirma" not in page.content()
        assert all(other.name not in page.content() for other in others)
        box = page.locator(".table-scroll").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.console_errors == []
