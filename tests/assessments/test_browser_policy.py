"""A real browser: an approval at F with unknowns is refused with its reasons, a second administrator approves it
as a risk acceptance, and the register and the integration page show it (also at 390 px)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, acting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard


def test_refused_at_f_then_risk_acceptance_by_a_second_person_in_the_register(
        live_server, admin_a, member, make_integration, tenant_a, browser_page):
    from playwright.sync_api import expect

    from vendorvet.web.assessments import services
    from vendorvet.web.assessments.models import RiskAcceptance

    crm = make_integration(tenant_a, "Acme CRM", data_categories=["personal"], access_scope="admin",
                           processing_countries=["DE"])
    second = member(tenant_a, "bodo.admin", "admin")
    with acting(tenant_a, admin_a, role="admin"):
        assessment = services.start_assessment(crm)
        services.answer_by_id(assessment, "cert.recognised", "met")
    page = browser_page
    base = live_server.url

    # the administrator who answered tries a plain approval: refused, with the reasons and the way forward
    log_in(page, base, admin_a)
    page.goto(f"{base}/assessments/{assessment.pk}/decision/")
    expect(page.locator("#policy-shortfalls")).to_contain_text("below the policy's threshold C")
    page.locator("input[name=outcome][value=approve]").check()
    page.fill("textarea[name=justification]", "Looks fine to me.")
    page.click("#decision-form button[type=submit]")
    errors = page.locator("#decision-form")
    expect(errors).to_contain_text("The approval policy refuses this approval")
    expect(errors).to_contain_text("mandatory requirements are unknown")
    expect(errors).to_contain_text("risk acceptance")
    assert not RiskAcceptance.all_tenants.exists()
    page.locator("header form[action$='/logout/'] button, form[action$='/logout/'] button").first.click()

    # a second administrator approves it as an explicit risk acceptance
    log_in(page, base, second)
    page.goto(f"{base}/assessments/{assessment.pk}/decision/")
    page.locator("input[name=outcome][value=approve]").check()
    page.fill("textarea[name=justification]", "Needed for the launch; accepted with controls.")
    page.check("input[name=risk_acceptance]")
    page.fill("input[name=risk_owner]", "Dr. Petra Weiß (CISO)")
    page.fill("textarea[name=risk_justification]", "Launch in Q2; vendor audit booked for May.")
    page.fill("textarea[name=compensating_controls]", "No production data until the AVV is signed.")
    expires = timezone.localdate() + dt.timedelta(days=90)
    page.fill("input[name=expires_on]", expires.isoformat())
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision h2")).to_have_text("Approve")
    expect(page.locator("#decision")).to_contain_text("Dr. Petra Weiß (CISO)")

    # the register lists it, linked to the integration; the integration page shows it in its panel
    page.goto(f"{base}/assessments/risk-acceptances/")
    row = page.locator("#risk-register tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dr. Petra Weiß (CISO)")
    expect(row).to_contain_text("bodo.admin")
    row.locator("a", has_text="Acme CRM").click()
    page.wait_for_url(f"**/integrations/{crm.pk}/")
    expect(page.locator("#risk-panel")).to_contain_text("Dr. Petra Weiß (CISO)")

    # usable at 390 px: the filters and the register fit the screen (the table scrolls inside its box)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/assessments/risk-acceptances/")
    for selector in ("form.filters", ".table-scroll", "h1"):
        assert page.locator(selector).bounding_box()["x"] + page.locator(selector).bounding_box()["width"] <= 390, \
            selector
    # the one error the console shows is the refused form's answer (400), which is the point of the first step
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []
    assert len(page.console_errors) == 1
