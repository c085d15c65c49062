"""A real browser: with an empty OSV database an uploaded SBOM says "not checked" (also in review point 10);
an administrator imports the demo vulnerability data in the UI (background task, progress/result shown);
Log4Shell then appears on the SBOM and in point 10. A truncated upload stores nothing and says why."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, acting
from tests.supplychain.conftest import FIXTURES, crm_a  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_empty_osv_not_checked_then_demo_import_shows_log4shell(live_server, tenant_a, admin_a, crm_a, settings,
                                                                tmp_path, browser_page):
    from playwright.sync_api import expect

    from vendorvet.web.assessments import services as assessments

    settings.SUPPLYCHAIN_OSV_DATABASE = str(tmp_path / "osv" / "osv.sqlite3")
    settings.TASKS = IMMEDIATE
    with acting(tenant_a, admin_a):
        assessment = assessments.start_assessment(crm_a, optional=["supply.sbom", "supply.vuln_handling"])
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", admin_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    # empty OSV database: the SBOM is stored but "not checked", never "0 known vulnerabilities"
    page.goto(live_server.url + reverse("supplychain:integration", args=[crm_a.pk]))
    page.fill("input[name=label]", "1.0")
    page.set_input_files("input[name=file]", str(FIXTURES / "sbom" / "app-1.0.cdx.json"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r"/supply-chain/sboms/\d+/"))
    sbom_url = page.url
    expect(page.locator("#coverage")).to_contain_text("Not checked")
    expect(page.locator("#coverage")).to_contain_text("no vulnerability data for Go, Maven, PyPI, npm")
    expect(page.locator("#not-checked")).to_contain_text("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    expect(page.locator("#findings")).not_to_contain_text("No known vulnerabilities")
    review_url = live_server.url + reverse("assessments:detail", args=[assessment.pk])
    page.goto(review_url)
    point10 = page.locator('article[data-requirement="supply.sbom"]')
    expect(point10).to_contain_text("not checked")
    expect(point10).not_to_contain_text("Suggested answer")
    expect(point10).to_contain_text("No vulnerability data imported.")

    # a truncated upload: refused as a whole, the reason shown, nothing stored
    page.goto(sbom_url)
    page.click("#coverage a[href$='/vulnerability-data/']")
    expect(page.locator("h1")).to_have_text("Vulnerability data")
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((FIXTURES / "osv").glob("*.json")):
            zf.writestr(p.name, p.read_bytes())
    page.set_input_files("#osv-upload input[type=file]", files=[
        {"name": "all.zip", "mimeType": "application/zip", "buffer": buf.getvalue()[: len(buf.getvalue()) // 2]}])
    page.click("#osv-upload button[type=submit]")
    expect(page.locator("#osv-import-error")).to_contain_text("The import failed and stored nothing.")
    expect(page.locator("#osv-import-error")).to_contain_text("all.zip: not a complete zip archive")
    expect(page.locator("#osv-status")).to_contain_text("No vulnerability data imported.")

    # the demo subset, imported in the UI
    page.click("#import-demo")
    expect(page.locator("#osv-import-done")).to_contain_text("Imported demo vulnerability data")
    expect(page.locator("#osv-status")).to_contain_text("advisories in the OSV database")
    expect(page.locator("#osv-status")).to_contain_text("Maven")
    expect(page.locator("#import-demo")).to_have_count(0)

    page.goto(sbom_url)  # the component without a package URL stays listed: partly checked, never dropped
    expect(page.locator("#coverage")).to_contain_text("Partly checked — 5 of 6 components checked")
    expect(page.locator("#not-checkable")).to_contain_text("no-purl-component 1.0 — no package URL")
    findings = page.locator("#findings tbody tr")
    expect(findings).to_have_count(9)  # 3 log4j-core, 2 jinja2, 2 lodash, 2 x/net: the demo subset's real advisories
    expect(findings.first).to_contain_text("critical")
    expect(page.locator("#findings")).to_contain_text("GHSA-jfh8-c2jp-5v3q")
    expect(page.locator("#findings")).to_contain_text("CVE-2021-44228")
    page.goto(review_url)
    point10 = page.locator('article[data-requirement="supply.sbom"]')
    expect(point10).to_contain_text("critical")
    expect(point10).to_contain_text("Suggested answer: Not met")
    expect(point10).to_contain_text("advisories in the OSV database")
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []

    page.set_viewport_size({"width": 390, "height": 800})  # usable on a phone: no horizontal scrolling
    page.goto(live_server.url + reverse("supplychain:osv"))
    # this page's content fits a phone (the site's main navigation scrolls on its own)
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '#' + e.id)""")
    assert wide == []
    expect(page.locator("#osv-upload button[type=submit]")).to_be_visible()
