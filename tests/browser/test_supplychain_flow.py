"""A real browser: upload an SBOM to an integration, see components and vulnerabilities, upload newer and
older versions and see the diff (with the downgrade flag)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.supplychain.conftest import FIXTURES, crm_a, osv_db  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SBOMS = FIXTURES / "sbom"


def upload(page, url: str, label: str, filename: str) -> None:
    page.goto(url)
    page.fill("input[name=label]", label)
    page.set_input_files("input[name=file]", str(SBOMS / filename))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r"/supply-chain/sboms/\d+/"))


def test_upload_sboms_see_findings_and_diff(live_server, admin_a, crm_a, osv_db, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    integration_url = live_server.url + reverse("supplychain:integration", args=[crm_a.pk])

    # a broken file: a clear error on the form, nothing stored
    page.goto(integration_url)
    page.fill("input[name=label]", "0.9")
    page.set_input_files("input[name=file]", files=[{"name": "bad.json", "mimeType": "application/json",
                                                     "buffer": b'{"bomFormat": "CycloneDX", "specVersion": "1.1"}'}])
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("CycloneDX 1.1 is not supported")
    expect(page.locator("td.empty")).to_contain_text("No SBOM imported yet.")
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []  # the form answer is a 400
    page.console_errors.clear()

    # version 1.0: CycloneDX JSON with Log4Shell, jinja2, lodash and x/net findings
    upload(page, integration_url, "1.0", "app-1.0.cdx.json")
    expect(page.locator(".messages, [role=status]").first).to_contain_text("SBOM imported: 5 components")
    findings = page.locator("#findings tbody tr")
    expect(findings.first).to_contain_text("GHSA-jfh8-c2jp-5v3q")  # critical first
    expect(findings.first.locator(".badge")).to_have_text("critical")
    expect(page.locator("#findings")).to_contain_text("CVE-2021-44228")
    expect(page.locator("#components tbody tr")).to_have_count(5)
    expect(page.locator("#components")).to_contain_text("pkg:golang/golang.org/x/net@v0.15.0")
    expect(page.locator("#diff")).to_have_count(0)

    # version 1.1 (CycloneDX XML): the diff against 1.0
    upload(page, integration_url, "1.1", "app-1.1.cdx.xml")
    diff = page.locator("#diff")
    expect(diff).to_contain_text("Changes since version 1.0")
    expect(diff).to_contain_text("pkg:npm/synth-last@1.4.2")
    expect(diff).to_contain_text("pkg:pypi/jinja2: 3.1.2 → 3.1.4")
    expect(diff).to_contain_text("GHSA-jfh8-c2jp-5v3q")  # fixed since 1.0
    expect(diff.locator(".downgraded")).to_have_count(0)

    # version 1.2 ships the old libraries again: downgrades are flagged
    upload(page, integration_url, "1.2", "app-1.0.cdx.json")
    expect(diff).to_contain_text("Changes since version 1.1")
    expect(diff.locator(".version-change.downgraded")).to_have_count(2)  # jinja2 and log4j-core
    expect(diff.locator(".version-change.downgraded").first).to_contain_text("downgraded")
    # compare with another version through the form
    page.select_option("select[name=against]", label="1.0")
    page.click("#diff form button[type=submit]")
    expect(diff.locator(".version-change")).to_have_count(0)

    page.goto(integration_url)
    expect(page.locator("tbody tr td.primary")).to_have_count(3)
    assert page.console_errors == []
