"""The answer sheet in Chromium: the section list jumps to its heading, "save all" saves every changed answer
(one HTMX request each, one after another), and a rejected evidence file is reported next to its field, in view."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sections_save_all_and_inline_evidence_error(live_server, admin_a, started, browser_page, media_root,
                                                     tmp_path):
    from playwright.sync_api import expect

    from vendorvet.web.assessments.models import Answer

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}{started.get_absolute_url()}")

    sections = page.locator(".review-sections a")
    assert sections.count() >= 2
    last = sections.last
    target = last.get_attribute("href")
    last.click()
    expect(page.locator(target)).to_be_in_viewport()

    ids = ["cert.recognised", "cert.iso27001"]
    for requirement in ids:
        block = page.locator(f"article[data-requirement='{requirement}']")
        block.locator("input[value=met]").check()
        block.locator("textarea").fill(f"seen: {requirement}")
    button = page.locator("[data-save-all-button]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-save-all-status]")).to_have_text("All changed answers are saved.")
    for requirement in ids:
        expect(page.locator(f"article[data-requirement='{requirement}'] .badge.value-met")).to_have_text("Met")
        answer = Answer.all_tenants.get(assessment=started, requirement_id=requirement)
        assert answer.value == "met" and answer.comment == f"seen: {requirement}"

    # a file type the register refuses: the error sits next to that answer's file field, which has the focus
    bad = tmp_path / "page.html"
    bad.write_text("<html></html>")
    block = page.locator("article[data-requirement='cert.iso27001']")
    block.locator("input[type=file]").set_input_files(str(bad))
    block.locator("button", has_text="Upload").click()
    page.wait_for_load_state()
    block = page.locator("article[data-requirement='cert.iso27001']")
    error = block.locator(".field-error")
    expect(error).to_contain_text("not accepted")
    expect(error).to_be_in_viewport()
    focused = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert focused == error.get_attribute("id")
    assert [e for e in page.console_errors if "400" not in e] == []
