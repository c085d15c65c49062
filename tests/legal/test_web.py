"""Legal web pages: panel, transfer check, sub-processors, DPA checklist, contracts, TIA, RoPA."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import acting
from tests.support.downloads import assert_download
from tests.web.conftest import assert_csp_clean
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.legal.models import (
    Contract,
    DpaItem,
    IntegrationLegal,
    SubProcessor,
    TransferAssessment,
    TransferImpactAssessment,
    VendorLegal,
)

pytestmark = pytest.mark.django_db


def test_nav_item_and_overview(assessor_a, legal_a, login):
    client = login(assessor_a)
    page = client.get(reverse("inventory:integration_list")).content.decode()
    assert f'href="{reverse("legal:overview")}"' in page
    response = client.get(reverse("legal:overview"))
    html = response.content.decode()
    assert response.status_code == 200 and "Acme CRM" in html and "HR Cloud" in html
    assert "not checked" in html
    assert_csp_clean(html)


def test_integration_page_hosts_the_legal_panel(assessor_a, legal_a, login):
    client = login(assessor_a)
    crm = legal_a["crm"]
    page = client.get(reverse("inventory:integration_detail", args=[crm.pk])).content.decode()
    assert reverse("legal:integration_panel", args=[crm.pk]) in page
    panel = client.get(reverse("legal:integration_panel", args=[crm.pk]), HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert panel.status_code == 200 and html.lstrip().startswith("<section class=\"card\"")
    assert "No transfer check has been run yet." in html and "AVV/DPA not reviewed" in html


def test_run_transfer_check_stores_reasoning_and_shows_verdict(assessor_a, legal_a, login):
    client = login(assessor_a)
    crm = legal_a["crm"]
    response = client.post(reverse("legal:assess", args=[crm.pk]))
    assert response.status_code == 302
    with use_tenant(crm.tenant):
        a = TransferAssessment.objects.get(integration=crm)
        assert a.basis == "scc" and a.scc_module == 2 and a.tia_required
        assert a.result["reasoning"][0].startswith("Roles:") and a.reasoning_de[0].startswith("Rollen:")
        assert ObjectChange.objects.filter(changed_object_id=a.pk, actor_label="arne.assessor").exists()
    panel = client.get(reverse("legal:integration_panel", args=[crm.pk])).content.decode()
    assert "SCCs + TIA required" in panel and "SCC module 2" in panel and "CLOUD Act" in panel
    page = client.get(reverse("legal:integration", args=[crm.pk])).content.decode()
    assert "Module 2: controller to processor" in page
    de = client.get(reverse("legal:integration", args=[crm.pk]), HTTP_ACCEPT_LANGUAGE="de")
    assert "Modul 2: Verantwortlicher an Auftragsverarbeiter" in de.content.decode()


def test_dpf_certified_vendor_gets_dpf_basis(assessor_a, legal_a, login):
    client = login(assessor_a)
    acme = legal_a["acme"]
    response = client.post(reverse("legal:vendor", args=[acme.pk]),
                           {"parent_company": "", "parent_country": "", "dpf_status": "yes", "dpf_checked": "",
                            "canada_pipeda": "unknown"})
    assert response.status_code == 400 and "Record the date the DPF List was checked." in response.content.decode()
    response = client.post(reverse("legal:vendor", args=[acme.pk]),
                           {"parent_company": "", "parent_country": "", "dpf_status": "yes",
                            "dpf_checked": "2026-01-10", "canada_pipeda": "unknown"})
    assert response.status_code == 302
    client.post(reverse("legal:assess", args=[legal_a["crm"].pk]))
    with use_tenant(acme.tenant):
        assert VendorLegal.objects.get(vendor=acme).dpf_checked.isoformat() == "2026-01-10"
        assert TransferAssessment.objects.get(integration=legal_a["crm"]).basis == "dpf"


def test_us_parent_and_declared_vs_detected_mismatch(assessor_a, legal_a, login):
    client = login(assessor_a)
    hr, hosting = legal_a["hr"], legal_a["hosting"]
    client.post(reverse("legal:vendor", args=[hosting.pk]),
                {"parent_company": "Mega Corp", "parent_country": "US", "dpf_status": "unknown",
                 "canada_pipeda": "unknown"})
    response = client.post(reverse("legal:integration", args=[hr.pk]), {
        "our_role": "controller", "vendor_role": "processor", "declared_countries": ["DE"],
        "recorded_countries": [], "controller_name": "", "legal_basis": "Art. 6(1)(b) GDPR",
        "erasure_period": "10 years after leaving", "security_measures": "ISO 27001"})
    assert response.status_code == 302
    # adding an Indian sub-processor: detected country not declared, and the check is re-run
    response = client.post(reverse("legal:subprocessor_add", args=[hosting.pk]),
                           {"name": "Support India Pvt", "country": "IN", "purpose": "2nd level support",
                            "dpf_status": "unknown"})
    assert response.status_code == 302
    with use_tenant(hr.tenant):
        a = TransferAssessment.objects.get(integration=hr)
        assert a.trigger == "sub_processor" and a.basis == "none_needed" and a.onward_scc
        assert a.result["onward_transfers"][0]["scc_module"] == 3
        assert "CLOUD Act" in a.result["jurisdiction_warning"]
    panel = client.get(reverse("legal:integration_panel", args=[hr.pk])).content.decode()
    assert "Declares EEA-only, but detected:" in panel and "India" in panel and "Support India Pvt" in panel
    assert "CLOUD Act" in panel


def test_dpa_checklist_met_needs_clause(assessor_a, legal_a, login):
    client = login(assessor_a)
    acme = legal_a["acme"]
    url = reverse("legal:dpa_item", args=[acme.pk])
    client.post(url, {"key": "28_3_a", "state": "met", "clause": "", "note": ""})
    with use_tenant(acme.tenant):
        assert not DpaItem.objects.filter(vendor=acme).exists()
    client.post(url, {"key": "28_3_a", "state": "met", "clause": "§ 3.1", "note": ""})
    client.post(url, {"key": "28_2", "state": "missing", "clause": "", "note": "no objection right"})
    client.post(url, {"key": "bogus", "state": "met", "clause": "x", "note": ""})
    with use_tenant(acme.tenant):
        assert dict(DpaItem.objects.values_list("key", "state")) == {"28_3_a": "met", "28_2": "missing"}
    html = client.get(reverse("legal:vendor", args=[acme.pk])).content.decode()
    assert "Art. 28(3)(h)" in html and "§ 3.1" in html and "AVV/DPA has gaps" in html
    assert_csp_clean(html)


def test_contract_with_safe_upload_and_download(assessor_a, legal_a, login, auditor_a):
    client = login(assessor_a)
    acme = legal_a["acme"]
    data = {"type": "dpa", "title": "AVV Acme", "reference": "C-1", "start": "2025-01-01", "end": "2026-12-31",
            "notice_period_days": "90", "auto_renewal": "on", "renewal_months": "12", "sla_uptime": "99.9",
            "rto_hours": "4", "rpo_hours": "1", "liability_cap": "12 months' fees"}
    bad = client.post(reverse("legal:contract_add", args=[acme.pk]),
                      {**data, "upload": SimpleUploadedFile("evil.html", b"<html><script>x</script>")})
    assert bad.status_code == 400 and "Files of type “html” are not accepted." in bad.content.decode()
    disguised = client.post(reverse("legal:contract_add", args=[acme.pk]),
                            {**data, "upload": SimpleUploadedFile("avv.pdf", b"<!DOCTYPE html><p>")})
    assert disguised.status_code == 400 and "does not match its type" in disguised.content.decode()
    # an executable renamed to a Word file is refused by its content, not only by its name
    renamed = client.post(reverse("legal:contract_add", args=[acme.pk]),
                          {**data, "upload": SimpleUploadedFile("avv.doc", b"MZ\x90\x00" + b"\x00" * 60)})
    assert renamed.status_code == 400
    with use_tenant(acme.tenant):
        assert not Contract.objects.filter(vendor=acme).exists()
    ok = client.post(reverse("legal:contract_add", args=[acme.pk]),
                     {**data, "upload": SimpleUploadedFile("../../AVV Acme.pdf", b"%PDF-1.7 test")})
    assert ok.status_code == 302
    with use_tenant(acme.tenant):
        contract = Contract.objects.get(vendor=acme)
        assert contract.file_name == "AVV Acme.pdf" and contract.file.name.startswith(f"legal/{acme.tenant_id}/")
        assert ".." not in contract.file.name and contract.notice_deadline.isoformat() == "2026-10-02"
    download = login(auditor_a).get(reverse("legal:contract_file", args=[contract.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 test"
    assert assert_download(download, "application/octet-stream") == "AVV Acme.pdf"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_contract_reminders_show_on_overview(assessor_a, legal_a, login):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    with acting(legal_a["acme"].tenant):
        Contract.objects.create(vendor=legal_a["acme"], type="main", title="Acme master agreement",
                                end=today + dt.timedelta(days=40), notice_period_days=30)
    html = login(assessor_a).get(reverse("legal:overview")).content.decode()
    assert "Upcoming contract deadlines" in html and "Notice deadline" in html and "Acme master agreement" in html


def test_tia_six_steps_print_and_docx(assessor_a, legal_a, login):
    client = login(assessor_a)
    crm = legal_a["crm"]
    client.post(reverse("legal:assess", args=[crm.pk]))
    response = client.post(reverse("legal:tia_add", args=[crm.pk]))
    assert response.status_code == 302
    with use_tenant(crm.tenant):
        tia = TransferImpactAssessment.objects.get(integration=crm)
        assert "module 2" in tia.step2_tool and "Roles:" in tia.step1_transfers
    form = {"title": tia.title, "state": "completed", "step1_transfers": "CRM data to US", "step2_tool": "SCC M2",
            "step3_assessment": "", "step4_measures": "", "step5_procedural": "", "step6_reevaluation": "",
            "conclusion": ""}
    incomplete = client.post(reverse("legal:tia", args=[tia.pk]), form)
    assert incomplete.status_code == 400 and "Set a re-evaluation date." in incomplete.content.decode()
    form.update(step3_assessment="FISA 702 applies", step4_measures="E2E encryption <keys in EU>",
                step5_procedural="SCCs signed", step6_reevaluation="2027-06-01", conclusion="Acceptable")
    assert client.post(reverse("legal:tia", args=[tia.pk]), form).status_code == 302
    printed = client.get(reverse("legal:tia_print", args=[tia.pk]) + "?lang=de").content.decode()
    assert "1. Übermittlungen kennen" in printed and "6. Erneut prüfen am" in printed
    assert "E2E encryption &lt;keys in EU&gt;" in printed
    assert_csp_clean(printed)
    docx = client.get(reverse("legal:tia_docx", args=[tia.pk]) + "?lang=en")
    assert docx.status_code == 200 and assert_download(docx) == "tia-acme-crm.docx"
    with zipfile.ZipFile(io.BytesIO(docx.content)) as zf:
        assert set(zf.namelist()) == {"[Content_Types].xml", "_rels/.rels", "word/document.xml"}
        xml = zf.read("word/document.xml").decode()
    assert "E2E encryption &lt;keys in EU&gt;" in xml and "4. Supplementary measures" in xml
    from defusedxml.minidom import parseString

    assert parseString(xml.encode()).documentElement.tagName == "w:document"


def test_ropa_page_and_exports_in_both_languages(assessor_a, legal_a, login):
    client = login(assessor_a)
    client.post(reverse("legal:assess", args=[legal_a["crm"].pk]))
    client.post(reverse("legal:ropa"), {"controller": "Nordlicht Maschinenbau GmbH, Kiel", "representative": "",
                                        "dpo": "=HYPERLINK(\"x\")"})
    page = client.get(reverse("legal:ropa") + "?lang=de").content.decode()
    assert "Verzeichnis von Verarbeitungstätigkeiten" in page and "Acme CRM" in page
    assert "Standardvertragsklauseln" in page and "Nordlicht Maschinenbau GmbH, Kiel" in page
    assert_csp_clean(page)
    xlsx = client.get(reverse("legal:ropa_xlsx") + "?lang=en")
    assert assert_download(xlsx).startswith("ropa-controller-en-")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row if v]
    assert "Processing activity" in flat and "Acme CRM – Acme Cloud Inc." in flat
    assert "'=HYPERLINK(\"x\")" in flat  # formulas defused
    assert any("standard contractual clauses" in v for v in flat)
    csv_response = client.get(reverse("legal:ropa_csv") + "?lang=de")
    assert assert_download(csv_response, "text/csv; charset=utf-8").endswith(".csv")
    csv_text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Verarbeitungstätigkeit;")
    assert "HR Cloud" in csv_text and "Personalakten" not in csv_text
    processor = client.get(reverse("legal:ropa") + "?view=processor&lang=en").content.decode()
    assert "No processing activities in this view." in processor


def test_processor_view_lists_integrations_where_we_process(assessor_a, legal_a, login):
    with acting(legal_a["crm"].tenant):
        IntegrationLegal.objects.create(integration=legal_a["crm"], our_role="processor",
                                        vendor_role="sub-processor", controller_name="Kunde AG")
    page = login(assessor_a).get(reverse("legal:ropa") + "?view=processor&lang=en").content.decode()
    assert "Kunde AG" in page and "Acme CRM" in page and "Art. 30(2)" in page


def test_auditor_reads_but_cannot_write(auditor_a, legal_a, login):
    client = login(auditor_a)
    crm, acme = legal_a["crm"], legal_a["acme"]
    for url in (reverse("legal:overview"), reverse("legal:integration", args=[crm.pk]),
                reverse("legal:vendor", args=[acme.pk]), reverse("legal:ropa"),
                reverse("legal:integration_panel", args=[crm.pk]), reverse("legal:ropa_csv")):
        assert client.get(url).status_code == 200, url
    forbidden = [
        (reverse("legal:assess", args=[crm.pk]), {}),
        (reverse("legal:integration", args=[crm.pk]), {"our_role": "processor", "vendor_role": "controller"}),
        (reverse("legal:vendor", args=[acme.pk]), {"dpf_status": "no", "canada_pipeda": "unknown"}),
        (reverse("legal:subprocessor_add", args=[acme.pk]), {"name": "X", "country": "US"}),
        (reverse("legal:dpa_item", args=[acme.pk]), {"key": "28_2", "state": "missing"}),
        (reverse("legal:contract_add", args=[acme.pk]), {"type": "nda", "title": "NDA"}),
        (reverse("legal:tia_add", args=[crm.pk]), {}),
        (reverse("legal:ropa"), {"controller": "x"}),
    ]
    for url, data in forbidden:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("legal:contract_add", args=[acme.pk])).status_code == 403
    with use_tenant(crm.tenant):
        assert not TransferAssessment.objects.exists() and not SubProcessor.objects.exists()
        assert not IntegrationLegal.objects.exists() and not VendorLegal.objects.exists()
    html = client.get(reverse("legal:integration", args=[crm.pk])).content.decode()
    assert reverse("legal:assess", args=[crm.pk]) not in html


def test_assessor_cannot_delete(assessor_a, legal_a, login):
    with acting(legal_a["acme"].tenant):
        sub = SubProcessor.objects.create(vendor=legal_a["acme"], name="AWS", country="US")
        contract = Contract.objects.create(vendor=legal_a["acme"], type="nda", title="NDA")
    client = login(assessor_a)
    assert client.post(reverse("legal:subprocessor_delete", args=[sub.pk])).status_code == 403
    assert client.post(reverse("legal:contract_delete", args=[contract.pk])).status_code == 403


def test_tenant_isolation_by_id(admin_a, legal_a, legal_b, login):
    client = login(admin_a)
    b = legal_b
    with acting(b["integration"].tenant):
        tia = TransferImpactAssessment.objects.create(integration=b["integration"], title="Secret TIA")
    for url in (reverse("legal:integration", args=[b["integration"].pk]),
                reverse("legal:integration_panel", args=[b["integration"].pk]),
                reverse("legal:vendor", args=[b["vendor"].pk]),
                reverse("legal:contract_edit", args=[b["contract"].pk]),
                reverse("legal:contract_file", args=[b["contract"].pk]),
                reverse("legal:tia", args=[tia.pk]), reverse("legal:tia_docx", args=[tia.pk])):
        assert client.get(url).status_code == 404, url
    for url in (reverse("legal:assess", args=[b["integration"].pk]),
                reverse("legal:subprocessor_delete", args=[b["sub"].pk]),
                reverse("legal:contract_delete", args=[b["contract"].pk]),
                reverse("legal:subprocessor_add", args=[b["vendor"].pk])):
        assert client.post(url, {"name": "x", "country": "US"}).status_code == 404, url
    for url in (reverse("legal:overview"), reverse("legal:ropa") + "?lang=en"):
        html = client.get(url).content.decode()
        assert "Secret" not in html and "Hidden" not in html
    with use_tenant(b["integration"].tenant):
        assert SubProcessor.objects.count() == 1 and Contract.objects.count() == 1


def test_legal_facts_and_reminders_for_other_apps(tenant_a, legal_a):
    import datetime as dt

    from vendorvet.web.legal import services

    today = dt.date.today()
    with acting(tenant_a):
        services.run_assessment(legal_a["crm"])
        facts = services.legal_facts(legal_a["crm"])
        Contract.objects.create(vendor=legal_a["acme"], type="main", title="Old", end=today + dt.timedelta(days=400))
        Contract.objects.create(vendor=legal_a["acme"], type="sla", title="Soon", end=today + dt.timedelta(days=10),
                                auto_renewal=True)
        due = services.due_reminders(horizon_days=30)
    assert facts["transfer_basis"] == "scc" and facts["scc_module"] == 2 and facts["tia_completed"] is False
    assert facts["dpa"]["state"] == "open" and facts["location_mismatch"] is False
    assert [(r["contract"].title, r["kind"]) for r in due] == [("Soon", "renewal")]


def test_changing_the_profile_re_runs_an_existing_check(assessor_a, legal_a, login):
    client = login(assessor_a)
    crm = legal_a["crm"]
    client.post(reverse("legal:assess", args=[crm.pk]))
    response = client.post(reverse("legal:integration", args=[crm.pk]), {
        "our_role": "processor", "vendor_role": "sub-processor", "declared_countries": ["US"],
        "recorded_countries": [], "controller_name": "Kunde AG"})
    assert response.status_code == 302
    with use_tenant(crm.tenant):
        latest = TransferAssessment.objects.filter(integration=crm).first()
        assert latest.trigger == "profile" and latest.scc_module == 3
        assert TransferAssessment.objects.filter(integration=crm).count() == 2


def test_detected_countries_from_stored_scan_findings(assessor_a, legal_a, login):
    """'declares EU-only; api.example.com resolves to US addresses' — from the scans app's findings."""
    from vendorvet.web.legal import services
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    hr = legal_a["hr"]
    with acting(hr.tenant):
        IntegrationLegal.objects.create(integration=hr, declared_countries=["DE"])
        old = ScanRun.objects.create(integration=hr, status="done")
        run = ScanRun.objects.create(integration=hr, status="done")
        for r, country in ((old, "CN"), (run, "US")):
            target = ScanTarget.objects.create(run=r, target="https://api.example.com", host="api.example.com")
            Finding.objects.create(run=r, scan_target=target, check_id="location.country", status="warn",
                                   severity="medium", title="Country",
                                   evidence={"addresses": [{"address": "203.0.113.5", "country": country,
                                                            "public": True}], "countries": [country]})
        loc = services.location(hr)
        inp = services.engine_input(hr)
    assert loc.detected == ["DE", "US"] and loc.undeclared == ["US"] and loc.declared_eea_only
    assert loc.detected_sources["US"] == ["scan:api.example.com"]
    assert "US" in inp.processing_countries and "CN" not in inp.processing_countries
    panel = login(assessor_a).get(reverse("legal:integration_panel", args=[hr.pk])).content.decode()
    assert "Declares EEA-only, but detected:" in panel and "api.example.com resolves there (scan)" in panel
