"""A real browser runs one assessment from draft to decision: start, answer by HTMX, decide."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assessment_from_draft_to_decision(live_server, admin_a, make_integration, tenant_a, browser_page,
                                          lenient_policy):
    from playwright.sync_api import expect

    from vendorvet.web.assessments.models import Assessment
    from vendorvet.web.inventory.models import Integration

    crm = make_integration(tenant_a, "Acme CRM", data_categories=["personal"], access_scope="admin",
                           processing_countries=["DE"])
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard

    # the integration page shows the assessment panel (HTMX) with a start button
    page.goto(f"{live_server.url}/integrations/{crm.pk}/")
    expect(page.locator("#assessment-panel")).to_contain_text("Not assessed yet")
    page.locator("#assessment-panel a", has_text="Start an assessment").click()
    expect(page.locator("#mandatory-list li").first).to_be_visible()
    page.click("#start-form button[type=submit]")
    page.wait_for_url("**/assessments/*/")
    expect(page.locator("#assessment-status")).to_have_text("Draft")
    lost_before = float(page.locator("#score").get_attribute("data-points-lost"))

    # answer one requirement: HTMX swaps the block and the score card, no page load
    block = page.locator("article[data-requirement='cert.recognised']")
    block.locator("input[value=met]").check()
    block.locator("textarea").fill("ISO/IEC 27001 certificate DE-123 on file")
    block.locator("button", has_text="Save answer").click()
    block = page.locator("article[data-requirement='cert.recognised']")
    expect(block.locator(".saved-note")).to_be_visible()
    expect(block.locator(".badge.value-met")).to_have_text("Met")
    # max_tier 4 → 10 points × tier 2 factor 1.5 = 15 points regained
    expect(page.locator("#score")).to_have_attribute("data-points-lost", f"{lost_before - 15:g}")

    # decide: approve with one condition
    page.click("a.button.primary:has-text('Decide')")
    page.locator("input[name=outcome][value=approve_with_conditions]").check()
    page.fill("textarea[name=justification]", "Acceptable once MFA is enforced for admins.")
    page.fill("input[name='cond-0-text']", "Enforce MFA for admin accounts")
    page.fill("input[name='cond-0-owner']", "IT security")
    page.fill("input[name='cond-0-due_date']", "2027-03-01")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision h2")).to_have_text("Approve with conditions")
    expect(page.locator("#decision")).to_contain_text("Enforce MFA for admin accounts")
    expect(page.locator("#next-review")).not_to_have_text("—")

    assessment = Assessment.all_tenants.get()
    assert assessment.status == "decided"
    assert Integration.all_tenants.get(pk=crm.pk).status == "approved_with_conditions"
    page.goto(f"{live_server.url}/integrations/{crm.pk}/")
    expect(page.locator("#assessment-panel")).to_contain_text("Approve with conditions")
    assert page.console_errors == []
