"""Chromium: upload a Google token log and an Entra export, read the risks and reasons, follow an app into the
inventory (a proposed integration whose tier names the granted scopes), then a newer Entra snapshot revokes."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (fixture)
from tests.conftest import PASSWORD
from tests.discovery.conftest import ENTRA, FIXTURES, GOOGLE_TOKENS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATER = FIXTURES / "entra_later"


def _upload(page, base: str, source: str, files) -> None:
    page.goto(f"{base}/discovery/import/")
    page.select_option("select[name=source]", source)
    page.set_input_files("input[name=files]", [str(f) for f in files])
    page.click("form >> button:has-text('Import')")
    page.wait_for_url(re.compile(r"/discovery/imports/\d+/$"))


def test_discover_review_and_revoke_in_the_browser(live_server, browser_page, assessor_a):  # noqa: F811
    from playwright.sync_api import expect

    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")

    # 1. the Google token audit log (Reports API JSON, NDJSON pages and the Admin console CSV)
    _upload(page, base, "google_tokens", GOOGLE_TOKENS)
    expect(page.locator("ul.messages")).to_contain_text("Import finished: 6 apps, 6 of them new.")
    new_apps = page.locator("section.card", has_text="New apps in this import")
    expect(new_apps.locator("tr", has_text="Mail Merge Pro")).to_contain_text("High risk")
    expect(new_apps.locator("tr", has_text="Mail Merge Pro")).to_contain_text("https://mail.google.com/")
    # the token log's revoke events are in the report too
    expect(page.locator("#revoked-grants tr", has_text="Mail Merge Pro")).to_contain_text("lea.hoffmann@")

    # 2. the Entra ID export: four Graph files, grants before the service principals they name
    _upload(page, base, "entra", ENTRA)
    expect(page.locator("ul.messages")).to_contain_text("of them new")
    page.goto(f"{base}/discovery/")
    row = page.locator("table.data tbody tr", has_text="MailSync Helper")
    expect(row).to_contain_text("High risk")
    expect(row).to_contain_text("unverified publisher")
    expect(row).to_contain_text("reply URL not HTTPS")
    expect(row).to_contain_text("Active")

    # 3. open one app: the reasons, the scopes with their risk; accept the proposal into the inventory (issue 13:
    #    a discovered app is only a proposal until a person accepts it)
    row.locator("a", has_text="MailSync Helper").first.click()
    page.wait_for_url(re.compile(r"/discovery/apps/\d+/$"))
    reasons = page.locator("section.card", has_text="Why this risk")
    expect(reasons).to_contain_text("Mail.Read (application permission)")
    expect(reasons).to_contain_text("The publisher is not verified by Microsoft.")
    scopes = page.locator("section.card", has_text="Granted scopes")
    expect(scopes.locator("tr", has_text="Mail.ReadWrite")).to_contain_text("High risk")
    proposal = page.locator("#proposal")
    expect(proposal).to_contain_text("mail (communications)")
    expect(proposal.locator("input[name=data_categories][value=personal]")).to_be_checked()
    if not proposal.locator("input[name=vendor]").input_value():
        proposal.locator("input[name=vendor]").fill("MailSync Ltd")
    proposal.locator("button", has_text="Accept").click()
    page.wait_for_url(re.compile(r"/integrations/\d+/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Proposed")
    expect(main).to_contain_text("granted high-risk OAuth permissions without a signed-in user or for all users: "
                                 "Mail.Read")
    expect(main).to_contain_text("a publisher Microsoft has not verified")
    expect(page.locator("#discovery-panel")).to_contain_text("Mail.ReadWrite")  # loaded by HTMX

    # 4. a newer Entra snapshot: Zoom's enterprise app deleted, a user's grant and scopes removed
    _upload(page, base, "entra", [LATER / "oauth2_permission_grants.json", LATER / "graph_app_role_assigned_to.json",
                                  LATER / "service_principals.json"])
    revoked = page.locator("#revoked-since")
    expect(revoked.locator("#revoked-apps")).to_contain_text("Zoom")
    expect(revoked.locator("#revoked-grants tr", has_text="Mail.Send")).to_contain_text("MailSync Helper")
    page.goto(f"{base}/discovery/")
    expect(page.locator("#revoked-since")).to_contain_text("Revoked since the last import")
    expect(page.locator("#revoked-since #revoked-apps")).to_contain_text("Zoom")
    page.select_option("select[name=status]", "revoked")
    page.click("form.filters >> button:has-text('Filter')")
    table = page.locator("div.card.flush table.data tbody")
    zoom = table.locator("tr").filter(has=page.locator("td:first-child > a", has_text=re.compile(r"^Zoom$")))
    expect(zoom).to_contain_text("Revoked")
    expect(table.locator("tr", has_text="Zoom for Google Workspace")).to_contain_text("Revoked")  # token log
    expect(table).not_to_contain_text("MailSync Helper")
    assert page.console_errors == []  # no CSP violation, no script error
