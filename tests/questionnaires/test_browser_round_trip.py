"""The whole round trip in Chromium with a real local SMTP server: the assessor sends, the e-mail arrives, a second
browser context (the vendor, no account) opens the link, answers, uploads a PDF, saves a draft, returns, submits;
the assessor sees vendor-stated suggestions with a contradiction marker, accepts some, asks one follow-up; the
vendor answers only that point; the questionnaire is closed."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import time

import pytest

from tests.conftest import PASSWORD
from tests.monitoring.receivers import smtp_sink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = ["enc.transit.tls12", "monitor.security_contact", "cert.pentest"]


@pytest.fixture
def smtp(settings):
    with smtp_sink() as (port, box):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.DEFAULT_FROM_EMAIL = "vendorvet@example.test"
        yield box


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def next_mail(box, count: int, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while len(box.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(box.messages) >= count, f"no e-mail #{count} arrived"
    message = email.message_from_bytes(box.messages[count - 1]["data"], policy=email.policy.default)
    return message, message.get_body(("plain",)).get_content()


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+/q/[^\s/]+/", body)
    assert match, body
    return match.group(0)


def test_round_trip_send_answer_decide_follow_up_close(live_server, browser_page, smtp, started, scan_provider,
                                                       assessor_a, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")

    # the assessor sends: Vera (preselected), three points, due in two weeks
    page.goto(f"{live_server.url}/questionnaires/assessments/{started.pk}/send/")
    for box in page.locator("input[name=points]").all():
        box.uncheck()
    for point in POINTS:
        page.check(f"input[name=points][value='{point}']")
    page.fill("input[name=due_date]", (dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.click("#send-form button[type=submit]")
    expect(page.locator("#qstatus")).to_have_text("Sent")
    questionnaire_url = page.url

    message, body = next_mail(smtp, 1)
    assert message["To"] == "vera@acme.test" and "Acme CRM" in message["Subject"]
    link = link_in(body)

    # the vendor, in a second browser context without any session
    vendor_ctx = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    vendor = vendor_ctx.new_page()
    vendor_errors: list[str] = []
    vendor.on("console", lambda msg: vendor_errors.append(msg.text) if msg.type == "error" else None)
    vendor.goto(link)
    expect(vendor.locator("h1")).to_contain_text("Questionnaire: Acme CRM")
    tls = vendor.locator("[data-requirement='enc.transit.tls12']")
    expect(tls.locator(".observed")).to_contain_text("TLS 1.0 accepted (api.vendor.test)")
    expect(vendor.locator("[data-requirement='monitor.security_contact'] .observed")).to_contain_text("security.txt")
    tls.locator("input[value=met]").check()
    tls.locator("textarea").fill("TLS 1.2+ only")
    pdf = tmp_path / "pentest-summary.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pentest = vendor.locator("[data-requirement='cert.pentest']")
    pentest.locator("input[type=file]").set_input_files(str(pdf))
    vendor.click("button[value=save]")
    expect(vendor.locator(".messages")).to_contain_text("Your answers were saved")
    expect(vendor.locator("progress")).to_have_attribute("value", "1")

    # return later with the same link: the draft and the file are there
    vendor.goto("about:blank")
    vendor.goto(link)
    expect(vendor.locator("[data-requirement='enc.transit.tls12'] textarea")).to_have_value("TLS 1.2+ only")
    expect(pentest.locator(".files")).to_contain_text("pentest-summary.pdf")
    vendor.locator("[data-requirement='monitor.security_contact'] input[value=met]").check()
    vendor.locator("[data-requirement='monitor.security_contact'] textarea").fill("security@acme.test, RFC 9116")
    pentest.locator("input[value=partly_met]").check()
    vendor.click("button[value=submit]")
    expect(vendor.locator("#submitted-note")).to_be_visible()

    # the assessor: vendor-stated suggestions with provenance and the contradiction marker on the review
    page.goto(f"{live_server.url}/assessments/{started.pk}/")
    card = page.locator("article[data-requirement='enc.transit.tls12']")
    expect(card.locator("[data-provider=questionnaire]")).to_contain_text("stated by the vendor on")
    expect(card.locator(".contradiction")).to_contain_text("our scan on 2026-11-30 saw: TLS 1.0 accepted")
    expect(card.locator("[data-provider=test-scan]")).to_contain_text("verified by scan")
    page.goto(questionnaire_url)
    for point in ("monitor.security_contact", "cert.pentest"):
        page.locator(f"[data-requirement='{point}'] button[value=accept]").click()
        expect(page.locator(f"[data-requirement='{point}']")).to_have_attribute("data-state", "accepted")
    item = page.locator("[data-requirement='enc.transit.tls12']")
    item.locator("textarea").fill("Our scan still sees TLS 1.0 — by when is it switched off?")
    item.locator("button[value=follow_up]").click()
    expect(page.locator("[data-requirement='enc.transit.tls12']")).to_have_attribute("data-state", "follow_up")
    page.click("#clarify-form button[type=submit]")
    expect(page.locator("#qstatus")).to_have_text("In clarification")

    # the vendor answers only that point, through the new link of the clarification e-mail
    _message, body = next_mail(smtp, 2)
    vendor.goto(link_in(body))
    expect(vendor.locator("input[type=radio]")).to_have_count(4)  # one point's four options, nothing else
    expect(vendor.locator(".follow-up")).to_contain_text("by when is it switched off")
    tls = vendor.locator("[data-requirement='enc.transit.tls12']")
    tls.locator("input[value=partly_met]").check()
    tls.locator("textarea").fill("TLS 1.0 is switched off on 2027-01-15.")
    vendor.click("button[value=submit]")
    expect(vendor.locator("#submitted-note")).to_be_visible()
    assert vendor_errors == []  # no CSP violation or script error on the vendor's pages

    page.goto(questionnaire_url)
    page.locator("[data-requirement='enc.transit.tls12'] button[value=accept]").click()
    page.click("#close-form button[type=submit]")
    expect(page.locator("#qstatus")).to_have_text("Closed")
    vendor.reload()
    expect(vendor.locator("#refused")).to_contain_text("This link cannot be used")
    assert page.console_errors == []
    vendor_ctx.close()
