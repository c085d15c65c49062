"""The PDF documents read back: pypdf opens them (pages, text: the integration, every checklist point, every
evidence hash, the footer hash), pdftoppm renders page 1; German and English; the ZIP's manifest matches its files."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from tests.conftest import acting
from tests.reports.conftest import pdf_text, render_first_page, squeezed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language,title,could_not_check,not_applicable", [
    ("de", "Prüfpaket", "nicht prüfbar", "Nicht anwendbar"),
    ("en", "Audit pack", "could not check", "Not applicable"),
])
def test_audit_pack_pdf_holds_every_point_and_every_evidence_hash(reviewed, tenant_a, admin_a, tmp_path, language,
                                                                  title, could_not_check, not_applicable):
    from vendorvet.web.assessments.models import Evidence
    from vendorvet.web.reports import documents, pdf

    integration, assessment = reviewed
    with acting(tenant_a, admin_a, role="admin"):
        printed, data, _rows = documents.audit_pack_pdf(integration, language)
        requirement_ids = list(assessment.answers.values_list("requirement_id", flat=True))
        hashes = list(Evidence.objects.values_list("sha256", flat=True))
    assert len(requirement_ids) == 37 and len(hashes) == 6
    pages, text = pdf_text(printed.pdf)
    flat = squeezed(text)
    assert pages >= 3
    assert title in text and "Cloud CRM Connector" in text
    assert [r for r in requirement_ids if r not in flat] == []
    assert [h for h in hashes if h not in flat] == []
    # the footer hash is the SHA-256 of the content data, printed on every page
    assert printed.sha256 == pdf.content_hash(data) == hashlib.sha256(pdf.canonical_json(data)).hexdigest()
    assert flat.count(printed.sha256) >= pages
    # honest states: automated evidence that could not run is shown as such, not as a pass
    assert could_not_check in text and not_applicable in text
    for shown in ("Dr. Maria Keller", "Enforce SSO for all admins",  # risk acceptance, condition
                  "HSTS header missing", "Blue Hosting LLC", "nachweis-005.txt"):  # scan, sub-processor, evidence
        assert squeezed(shown) in flat, shown
    if language == "de":  # no English label left in the German document
        assert [w for w in ("Deduction", "Points lost", "Evidence files", "Decision history", "Uploaded by")
                if w in text] == []
    render_first_page(printed.pdf, tmp_path)


def test_the_hash_covers_the_facts_not_the_print_time(reviewed, tenant_a, admin_a):
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.reports import documents

    integration, _assessment = reviewed
    with acting(tenant_a, admin_a, role="admin"):
        first, _d, _r = documents.audit_pack_pdf(integration, "en")
        again, _d, _r = documents.audit_pack_pdf(integration, "en")
        german, _d, _r = documents.audit_pack_pdf(integration, "de")
        integration.purpose = "Customer contact sync and newsletter"
        save_object(integration)
        changed, _d, _r = documents.audit_pack_pdf(integration, "en")
    assert first.sha256 == again.sha256
    assert german.sha256 != first.sha256  # the content data includes the printed labels of its language
    assert changed.sha256 != first.sha256


def test_zip_manifest_matches_its_files(reviewed, tenant_a, admin_a):
    from vendorvet.web.reports import documents

    integration, _assessment = reviewed
    with acting(tenant_a, admin_a, role="admin"):
        body, name, printed = documents.audit_pack_zip(integration, "de")
    assert name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(body))
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        raw = archive.read(path)
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], path
        assert len(raw) == entry["size"]
    evidence = [f for f in manifest["files"] if f["role"] == "evidence"]
    assert len(evidence) == 6 and all(f["matches"] and f["sha256"] == f["recorded_sha256"] for f in evidence)
    # content.json is what the PDF's footer hash covers
    assert hashlib.sha256(archive.read("content.json")).hexdigest() == manifest["content_sha256"] == printed.sha256
    assert archive.read(printed.filename).startswith(b"%PDF-")


def test_zip_reports_an_evidence_file_whose_bytes_changed(reviewed, tenant_a, admin_a):
    from vendorvet.web.assessments.models import Evidence
    from vendorvet.web.reports import documents

    integration, _assessment = reviewed
    with acting(tenant_a, admin_a, role="admin"):
        tampered = Evidence.objects.order_by("pk").first()
        with open(tampered.file.path, "ab") as fh:
            fh.write(b"changed after upload")
        body, _name, _printed = documents.audit_pack_zip(integration, "en")
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("manifest.json"))
    flagged = [f for f in manifest["files"] if f["role"] == "evidence" and not f["matches"]]
    assert len(flagged) == 1 and flagged[0]["recorded_sha256"] == tampered.sha256


@pytest.mark.parametrize("language,title", [("de", "Managementbericht"), ("en", "Management report")])
def test_management_report(reviewed, tenant_a, admin_a, tmp_path, language, title):
    from django.utils import timezone

    from vendorvet.web.dashboard.snapshots import take_snapshot
    from vendorvet.web.inventory.models import Integration, Vendor
    from vendorvet.web.monitoring.models import MonitoringEvent
    from vendorvet.web.reports import documents

    with acting(tenant_a, admin_a, role="admin"):
        vendor = Vendor.objects.get(name="Wolkenwerk Inc.")
        Integration.objects.create(vendor=vendor, name="Payroll Bridge", data_categories=["health"],
                                   access_scope="admin", processing_countries=["US"])
        now = timezone.now()
        MonitoringEvent.objects.create(integration=Integration.objects.get(name="Cloud CRM Connector"),
                                       kind="finding_new", severity="critical", dedup_key="k1",
                                       title="Admin API reachable without login", first_seen=now, last_seen=now)
        take_snapshot()
        printed = documents.management_pdf(language)
    pages, text = pdf_text(printed.pdf)
    assert 2 <= pages <= 4, pages
    assert title in text and "Nordlicht Maschinenbau GmbH" in text
    flat = squeezed(text)
    for shown in ("Admin API reachable without login",  # a top risk (critical event)
                  "Payroll Bridge",  # tier 1–2, not decided
                  "Cloud CRM Connector"):  # the decision in the period
        assert squeezed(shown) in flat, shown
    assert printed.sha256 in flat
    open(f"/tmp/pdf15_management_{language}.pdf", "wb").write(printed.pdf)
    render_first_page(printed.pdf, tmp_path)


def test_ropa_and_tia_as_pdf(reviewed, tenant_a, admin_a, tmp_path):
    from vendorvet.web.legal.models import TransferImpactAssessment
    from vendorvet.web.reports import documents

    with acting(tenant_a, admin_a, role="admin"):
        register = documents.ropa_pdf("controller", "de")
        tia = documents.tia_pdf(TransferImpactAssessment.objects.get(), "en")
    pages, text = pdf_text(register.pdf)
    flat = squeezed(text)
    assert pages >= 1 and squeezed("Art. 30 Abs. 1 DSGVO") in flat
    assert squeezed("Cloud CRM Connector – Wolkenwerk Inc.") in flat and register.sha256 in flat
    render_first_page(register.pdf, tmp_path)
    pages, text = pdf_text(tia.pdf)
    flat = squeezed(text)
    assert squeezed("TIA: Cloud CRM") in flat and squeezed("Contact data to the US") in flat and tia.sha256 in flat


def test_printing_fetches_nothing(tenant_a, admin_a):
    """An image or stylesheet URL in the printed HTML is not requested (only inline data: URIs are read)."""
    import weasyprint

    from vendorvet.web.reports.pdf import _fetcher

    html = '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/passwd"><p>ok</p>'
    fetched = []
    fetcher = _fetcher()
    original = fetcher.fetch

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return original(url, *args, **kwargs)

    fetcher.fetch = spy
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url="data:,").write_pdf()
    assert pdf.startswith(b"%PDF-") and fetched  # asked, and refused (no exception: WeasyPrint skips the resource)
    assert _fetcher()._allowed_protocols == ("data",)
