"""A real browser at phone width: the completeness page names the missing field and links to its form; filling it
completes the register and the report package downloads."""

from __future__ import annotations

import zipfile

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (the fixture, shared)
from tests.conftest import PASSWORD, acting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fill_the_gap_and_download_the_package(live_server, elbufer, elbufer_admin, browser_page,  # noqa: F811
                                               tmp_path):
    from playwright.sync_api import expect

    from vendorvet.web.dora.models import DoraService

    with acting(elbufer):
        DoraService.objects.filter(integration__name="Fleetwatch SOC").update(exit_plan=None)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", elbufer_admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/dora/")
    gaps = page.locator("ul.gaps")
    expect(gaps).to_contain_text("Existence of an exit plan is missing")
    # the page's own content fits 390 px (the site menu of the base layout does not wrap at this width yet: a
    # known layout issue outside this page)
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""")
    assert wide == []
    expect(page.get_by_role("link", name="Download report package (xBRL-CSV)")).to_have_count(0)
    gaps.get_by_role("link", name="Fleetwatch SOC").first.click()
    page.select_option("#id_exit_plan", "true")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/dora/")
    expect(page.locator("main")).to_contain_text("the register is complete")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download report package (xBRL-CSV)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.endswith(".zip") and zipfile.is_zipfile(path)
    assert any(n.endswith("reports/b_07.01.csv") for n in zipfile.ZipFile(path).namelist())
    assert page.console_errors == []


def test_dora_pages_pass_axe_in_both_languages(live_server, elbufer, elbufer_admin, browser_page):  # noqa: F811
    """The register, the branch form and the forms with the new supply-chain and intra-group fields: no serious
    or critical axe-core violation, no dangling ARIA reference, no horizontal scrolling (390 px … 1366 px)."""
    from axe_playwright_python.base import AXE_SCRIPT

    from tests.browser.test_a11y_layout import _dangling, _login, _overflow, _violations
    from vendorvet.web.dora.models import DoraBranch
    from vendorvet.web.inventory.models import Vendor
    from vendorvet.web.legal.models import Contract, SubProcessor

    with acting(elbufer):
        branch = DoraBranch.objects.get(code="EF-DK-001").pk
        contract = Contract.objects.get(reference="EF-IG-001").pk
        sub = SubProcessor.objects.get(name="Hanse Rechenzentrum GmbH").pk
        vendor = Vendor.objects.get(name="Elbufer IT-Services GmbH").pk
    page = browser_page
    page.context.add_init_script(AXE_SCRIPT)
    problems = []
    for language in ("en", "de"):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        _login(page, live_server.url, elbufer_admin.username)
        for path in ("/dora/", "/dora/branches/add/", f"/dora/branches/{branch}/", f"/dora/contracts/{contract}/",
                     f"/dora/sub-processors/{sub}/", f"/dora/vendors/{vendor}/"):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (language, path)
            problems += [f"[{language}] {path} {issue}" for issue in
                         _violations(page, contrast=language == "de") + _dangling(page) + _overflow(page)]
    assert problems == [], "\n".join(problems)
