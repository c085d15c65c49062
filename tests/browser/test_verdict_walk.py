"""Issue #13's walk in one real browser, in the order of its "Must show":

1. empty OSV database → the uploaded SBOM says "not checked" (and so does review point 10);
2. an administrator imports the demo OSV subset in the UI → Log4Shell appears on the SBOM and in point 10;
3. an approval at grade F with mandatory points unknown is refused, then made as a risk acceptance by a second
   administrator → it appears in the risk acceptance register and, once expired, as a "lapsed" event;
4. the data protection officer fills the AVV checklist and runs the transfer check (and a TIA) → the review's
   legal points show suggestions with links to that evidence.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, acting
from tests.supplychain.conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOG4SHELL = ("GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228")


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # login lands on the dashboard


def log_out(page):
    page.locator("form[action$='/logout/'] button").first.click()
    page.wait_for_url("**/accounts/login/**")


def test_verdict_walk(live_server, tenant_a, admin_a, member, make_vendor, make_integration, settings, tmp_path,
                      browser_page):
    from playwright.sync_api import expect

    from vendorvet.web.assessments import services
    from vendorvet.web.assessments.models import RiskAcceptance
    from vendorvet.web.legal.dpa import DPA_POINTS
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import MonitoringEvent as Event

    settings.SUPPLYCHAIN_OSV_DATABASE = str(tmp_path / "osv" / "osv.sqlite3")
    settings.TASKS = IMMEDIATE
    vendor = make_vendor(tenant_a, "Cloudy Inc.", country="US")
    crm = make_integration(tenant_a, "Cloudy CRM", vendor=vendor, data_categories=["personal"],
                           data_subjects=["customers"], purpose="Customer relationship management",
                           access_scope="admin", processing_countries=["US"])
    second = member(tenant_a, "bodo.admin", "admin")
    dpo = member(tenant_a, "dora.dpo", "dpo")
    with acting(tenant_a, admin_a, role="admin"):
        assessment = services.start_assessment(crm, optional=["supply.sbom", "supply.vuln_handling", "legal.avv",
                                                              "legal.transfer.tia"])
        services.answer_by_id(assessment, "cert.recognised", "met")  # the first administrator answers the review
    page = browser_page
    base = live_server.url
    review_url = f"{base}/assessments/{assessment.pk}/"

    # 1. empty OSV database: the SBOM is stored but "not checked", never "0 known vulnerabilities"
    log_in(page, base, admin_a)
    page.goto(base + reverse("supplychain:integration", args=[crm.pk]))
    page.fill("input[name=label]", "1.0")
    page.set_input_files("input[name=file]", str(FIXTURES / "sbom" / "app-1.0.cdx.json"))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(re.compile(r"/supply-chain/sboms/\d+/"))
    sbom_url = page.url
    expect(page.locator("#coverage")).to_contain_text("Not checked")
    expect(page.locator("#not-checked")).to_contain_text("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
    expect(page.locator("#findings")).not_to_contain_text("No known vulnerabilities")
    page.goto(review_url)
    point10 = page.locator('article[data-requirement="supply.sbom"]')
    expect(point10).to_contain_text("not checked")
    expect(point10).to_contain_text("No vulnerability data imported.")
    expect(point10).not_to_contain_text("Suggested answer")

    # 2. the demo OSV subset, imported in the UI by the administrator
    page.goto(sbom_url)
    page.click("#coverage a[href$='/vulnerability-data/']")
    page.click("#import-demo")
    expect(page.locator("#osv-import-done")).to_contain_text("Imported demo vulnerability data")
    expect(page.locator("#osv-status")).to_contain_text("advisories in the OSV database")
    records = int(re.search(r"([\d,.]+) advisories in the OSV database",
                            page.locator("#osv-status").inner_text()).group(1).replace(",", "").replace(".", ""))
    assert records >= 300  # a few hundred real advisories, not a handful
    page.goto(sbom_url)
    log4shell = page.locator("#findings tbody tr", has_text=LOG4SHELL[0])
    expect(log4shell).to_contain_text(LOG4SHELL[1])
    expect(log4shell).to_contain_text("critical")
    expect(log4shell).to_contain_text("log4j-core")
    page.goto(review_url)
    point10 = page.locator('article[data-requirement="supply.sbom"]')
    for text in (*LOG4SHELL, "critical", "Suggested answer: Not met", "advisories in the OSV database"):
        expect(point10).to_contain_text(text)

    # 3a. the administrator who answered approves at F with unknowns: refused, with the reasons
    page.goto(f"{base}/assessments/{assessment.pk}/decision/")
    expect(page.locator("#policy-shortfalls")).to_contain_text("below the policy's threshold")
    page.locator("input[name=outcome][value=approve]").check()
    page.fill("textarea[name=justification]", "Looks fine to me.")
    page.click("#decision-form button[type=submit]")
    form = page.locator("#decision-form")
    expect(form).to_contain_text("The approval policy refuses this approval")
    expect(form).to_contain_text("mandatory requirements are unknown")
    assert not RiskAcceptance.all_tenants.exists()
    log_out(page)

    # 3b. a second administrator approves it as an explicit risk acceptance
    log_in(page, base, second)
    page.goto(f"{base}/assessments/{assessment.pk}/decision/")
    page.locator("input[name=outcome][value=approve]").check()
    page.fill("textarea[name=justification]", "Needed for the launch; accepted with controls.")
    page.check("input[name=risk_acceptance]")
    page.fill("input[name=risk_owner]", "Dr. Petra Weiß (CISO)")
    page.fill("textarea[name=risk_justification]", "Launch in Q2; vendor audit booked for May.")
    page.fill("textarea[name=compensating_controls]", "No production data until the AVV is signed.")
    expires = timezone.localdate() + dt.timedelta(days=30)
    page.fill("input[name=expires_on]", expires.isoformat())
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#decision h2")).to_have_text("Approve")
    expect(page.locator("#decision")).to_contain_text("Dr. Petra Weiß (CISO)")
    page.goto(f"{base}/assessments/risk-acceptances/")
    row = page.locator("#risk-register tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Dr. Petra Weiß (CISO)")
    expect(row).to_contain_text("bodo.admin")
    expect(row).to_contain_text("Cloudy CRM")

    # 3c. it expires: the calendar sweep (as the scheduler runs it) records the lapse as an event
    with acting(tenant_a):
        events.sweep_calendar(today=expires + dt.timedelta(days=1))
    lapsed = Event.all_tenants.get(kind="risk_acceptance_lapsed")
    page.goto(f"{base}/monitoring/")
    expect(page.locator("main")).to_contain_text("Cloudy CRM: risk acceptance lapsed on")
    page.goto(f"{base}/monitoring/events/{lapsed.pk}/")
    expect(page.locator("main")).to_contain_text("Dr. Petra Weiß (CISO)")
    log_out(page)

    # 4. the data protection officer: AVV checklist (point by point), the signed AVV, transfer check and TIA
    log_in(page, base, dpo)
    page.goto(review_url)
    avv = page.locator("article[data-requirement='legal.avv']")
    expect(avv.locator("[data-provider=legal]")).to_have_attribute("data-state", "could_not_check")
    expect(avv).not_to_contain_text("Suggested answer")
    for point in DPA_POINTS:
        page.goto(f"{base}/legal/vendors/{vendor.pk}/")
        dpa_row = page.locator("form.dpa-form", has=page.locator(f"input[name=key][value='{point.key}']"))
        dpa_row.locator("select[name=state]").select_option("met")
        dpa_row.locator("input[name=clause]").fill("§ 4")
        dpa_row.locator("button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(f"{base}/legal/vendors/{vendor.pk}/contracts/add/")
    page.select_option("#id_type", "dpa")
    page.fill("#id_title", "AVV Cloudy")
    page.fill("#id_signed", "2026-03-01")
    page.set_input_files("input[name=upload]", files=[{"name": "AVV Cloudy.pdf", "mimeType": "application/pdf",
                                                       "buffer": b"%PDF-1.7 signed"}])
    page.locator("form[enctype] button[type=submit]").last.click()
    page.wait_for_url(f"**/legal/vendors/{vendor.pk}/**")
    page.goto(f"{base}/legal/integrations/{crm.pk}/")
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

    # the review's legal points now carry suggestions, with links to the evidence
    page.goto(review_url)
    avv = page.locator("article[data-requirement='legal.avv']")
    expect(avv.locator("[data-provider=legal]")).to_have_attribute("data-state", "checked")
    expect(avv).to_contain_text("Signed AVV on file: AVV Cloudy")
    expect(avv).to_contain_text("Suggested answer: Met")
    expect(avv.locator(f"a[href='/legal/vendors/{vendor.pk}/#dpa']")).to_be_visible()
    tia = page.locator("article[data-requirement='legal.transfer.tia']")
    expect(tia).to_contain_text("Suggested answer: Met")
    expect(tia.locator(f"a[href='{tia_url.replace(base, '')}']")).to_be_visible()
    # the only console errors are the refused approval's answer (400), which is the point of step 3a
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []
