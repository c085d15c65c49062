"""A real browser at phone width: upload a certificate, see the suggestions with page and text, take them over."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.support import documents as builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_see_suggestions_and_take_over_at_390px(live_server, assessor_a, crm, browser_page, tmp_path):
    from playwright.sync_api import expect

    from vendorvet.web.assessments.models import Certification

    path = tmp_path / "nordlicht-iso.pdf"
    builders.iso_centred_en(path)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/assessments/vendors/{crm.vendor_id}/certifications/")
    page.set_input_files("#doc-form input[type=file]", str(path))
    page.get_by_role("button", name="Read the document").click()
    page.wait_for_url("**/certificate-documents/**")
    row = page.locator("#field-certificate_number")
    expect(row).to_contain_text("page 1")
    expect(row.locator("blockquote")).to_contain_text("Certificate No.: 12 310 54821 TMS")
    expect(page.get_by_label("Certificate number", exact=True)).to_have_value("12 310 54821 TMS")
    # nothing of this page's content is wider than the screen (the wide field table scrolls inside its frame;
    # the site's top navigation is shared by every page and not part of this page)
    wide = page.evaluate("""Array.from(document.querySelectorAll('main *'))
        .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > 391)
        .map(e => e.tagName + '.' + e.className)""")
    assert wide == []
    page.get_by_label("Holder", exact=True).fill("Nordlicht Cloud Services GmbH (corrected)")
    page.get_by_role("button", name="Take over all fields read").click()
    page.wait_for_url(f"**/vendors/{crm.vendor_id}/certifications/")
    expect(page.locator("main")).to_contain_text("12 310 54821 TMS")
    cert = Certification.all_tenants.get()
    assert cert.holder == "Nordlicht Cloud Services GmbH (corrected)" and cert.standard == "ISO/IEC 27001:2022"
