"""A real browser: the data protection side fills the AVV checklist, uploads the signed AVV, runs the transfer
check and completes a TIA — and the review's legal points show suggestions with links to that evidence."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, acting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_facts_become_review_suggestions(live_server, admin_a, make_vendor, make_integration, tenant_a,
                                               browser_page):
    from playwright.sync_api import expect

    from vendorvet.web.assessments import services
    from vendorvet.web.legal.dpa import DPA_POINTS

    vendor = make_vendor(tenant_a, "Cloudy Inc.", country="US")
    crm = make_integration(tenant_a, "Cloudy CRM", vendor=vendor, data_categories=["personal"],
                           data_subjects=["customers"], purpose="Customer relationship management",
                           processing_countries=["US"])
    with acting(tenant_a, admin_a):
        assessment = services.start_assessment(crm, optional=["legal.avv", "legal.transfer.tia"])

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard

    # before: nothing on file, the legal points say so ("could not check"), no suggestion
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    avv = page.locator("article[data-requirement='legal.avv']")
    expect(avv.locator("[data-provider=legal]")).to_have_attribute("data-state", "could_not_check")
    expect(avv).not_to_contain_text("Suggested answer")

    # the AVV checklist, point by point
    for point in DPA_POINTS:
        page.goto(f"{live_server.url}/legal/vendors/{vendor.pk}/")
        row = page.locator("form.dpa-form", has=page.locator(f"input[name=key][value='{point.key}']"))
        row.locator("select[name=state]").select_option("met")
        row.locator("input[name=clause]").fill("§ 4")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
    # the signed AVV with its document
    page.goto(f"{live_server.url}/legal/vendors/{vendor.pk}/contracts/add/")
    page.select_option("#id_type", "dpa")
    page.fill("#id_title", "AVV Cloudy")
    page.fill("#id_signed", "2026-03-01")
    page.set_input_files("input[name=upload]", files=[{"name": "AVV Cloudy.pdf", "mimeType": "application/pdf",
                                                       "buffer": b"%PDF-1.7 signed"}])
    page.locator("form[enctype] button[type=submit]").last.click()
    page.wait_for_url(f"**/legal/vendors/{vendor.pk}/**")
    # the transfer check, then a TIA completed along the six steps
    page.goto(f"{live_server.url}/legal/integrations/{crm.pk}/")
    page.get_by_role("button", name="Run transfer check").click()
    expect(page.locator("#verdict")).to_contain_text("SCCs + TIA required")
    page.get_by_role("button", name="Start a TIA").click()
    page.wait_for_url("**/legal/tia/*/")
    tia_url = page.url
    page.select_option("#id_state", "completed")
    for field, text in (("step1_transfers", "CRM data to the US"), ("step2_tool", "SCC module 2"),
                        ("step3_assessment", "FISA 702 applies"), ("step4_measures", "Encryption, keys in the EU"),
                        ("step5_procedural", "SCCs signed"), ("conclusion", "Acceptable")):
        page.fill(f"#id_{field}", text)
    page.fill("#id_step6_reevaluation", "2027-06-01")
    page.locator("form:has(#id_state) button[type=submit]").first.click()
    page.wait_for_load_state()

    # after: the review's legal points are answered by the evidence, with links to it
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    avv = page.locator("article[data-requirement='legal.avv']")
    expect(avv.locator("[data-provider=legal]")).to_have_attribute("data-state", "checked")
    expect(avv).to_contain_text("Signed AVV on file: AVV Cloudy")
    expect(avv).to_contain_text("verified by document on")
    expect(avv).to_contain_text("Suggested answer: Met")
    expect(avv.locator(f"a[href='/legal/vendors/{vendor.pk}/#dpa']")).to_be_visible()
    tia = page.locator("article[data-requirement='legal.transfer.tia']")
    expect(tia).to_contain_text("Suggested answer: Met")
    expect(tia.locator(f"a[href='{tia_url.replace(live_server.url, '')}']")).to_be_visible()

    # a person applies the suggestion (HTMX); the answer remembers the evidence it was given on
    avv.get_by_role("button", name="Apply suggestion").click()
    avv = page.locator("article[data-requirement='legal.avv']")
    expect(avv.locator(".badge.value-met")).to_have_text("Met")
    expect(avv).not_to_contain_text("Evidence changed since your answer")

    # usable at 390 px: the evidence block fits the screen
    page.set_viewport_size({"width": 390, "height": 844})
    box = avv.locator("[data-provider=legal]").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.console_errors == []
