"""In Chromium: a CAIQ file refused when uploaded from a questionnaire page is explained on that page, beside the
field it was chosen in (focused, so in view), and nothing of it is stored."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, acting
from tests.engine_questionnaires import caiq_layout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_refused_caiq_error_appears_inline_on_the_questionnaire_page(live_server, browser_page, send, tenant_a,
                                                                     assessor_a):
    from playwright.sync_api import expect

    from vendorvet.web.questionnaires.models import Questionnaire, QuestionnaireItem

    q = send(points=["cert.pentest", "monitor.security_contact"])
    with acting(tenant_a):
        before = (Questionnaire.objects.count(), QuestionnaireItem.objects.count())
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")

    page.goto(live_server.url + q.get_absolute_url())
    heading = page.locator("h1").inner_text()
    data = caiq_layout.build({"CEK-03.1": "Mostly"})
    row = caiq_layout.row_of(data, "CEK-03.1")
    page.set_input_files("#id_caiq-sheet", files=[{"name": "caiq.xlsx", "mimeType": XLSX, "buffer": data}])
    page.click("#caiq-form button[type=submit]")

    error = page.locator("#caiq-form #id_caiq-sheet-error")
    expect(error).to_contain_text("The CAIQ file was not imported")
    expect(error).to_contain_text(str(row))
    expect(page.locator("h1")).to_have_text(heading)  # still the questionnaire page, not the CAIQ page
    expect(page.locator("#id_caiq-sheet")).to_be_focused()
    expect(error).to_be_in_viewport()
    # the refused upload is a 400 document (Chromium logs that status); nothing else went wrong in the page
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    with acting(tenant_a):
        assert (Questionnaire.objects.count(), QuestionnaireItem.objects.count()) == before
