"""Export: formula injection, XLSX layout, JSON shape, filters, streaming, and round trips."""

from __future__ import annotations

import csv
import io
import json
import gc
import tracemalloc

import openpyxl
import pytest

from tests.conftest import acting
from tests.io.helpers import FIXTURES, integration_state
from vendorvet.web.core.context import PermissionDeniedError, use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.io import exporter
from vendorvet.web.inventory.io.importer import run_import
from vendorvet.web.inventory.models import Endpoint, Integration
from vendorvet.web.inventory.queries import IntegrationFilter

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def rich_inventory(tenant_a, make_vendor, as_tenant):
    """Integrations with every field, tricky texts included."""
    vendor = make_vendor(tenant_a, name="Müller & Söhne GmbH", country="DE", website="https://mueller.example")
    other = make_vendor(tenant_a, name="Korea Cloud Co.", country="KR")
    with as_tenant(tenant_a):
        a = Integration.objects.create(
            vendor=vendor, name="Lohnbuchhaltung", kind="saas", purpose="Gehälter; Abrechnung, monatlich",
            business_owner="Jörg Schäfer", department="Finanzen", status="approved",
            data_categories=["personal", "financial"], data_subjects=["employees"], approx_users=12,
            approx_records=4000, processing_countries=["DE", "AT"], access_scope="write",
            outage_impact="high", tags=["payroll", "-minus", "a, b"], notes=EVIL + "\nline 2")
        Endpoint.objects.create(integration=a, url="https://api.mueller.example/v1?x=1,2")
        Endpoint.objects.create(integration=a, url="https://files.mueller.example")
        Integration.objects.create(vendor=other, name="K-Drive", kind="plugin", status="in_review",
                                   processing_countries=["KR"], tags=["one; tag"], notes="+49 30 123",
                                   business_owner="@owner", purpose="\tleading tab")
        Integration.objects.create(vendor=other, name="Plain", status="retired")
    return tenant_a


def _export_csv(tenant, f=None, **kwargs) -> str:
    with acting(tenant, role="auditor"):
        qs = exporter.export_queryset(f or IntegrationFilter())
        return "".join(exporter.iter_csv(qs, **kwargs))


def _export_xlsx(tenant, path, language=None):
    with acting(tenant, role="auditor"):
        with open(path, "wb") as fh:
            return exporter.write_xlsx(exporter.export_queryset(IntegrationFilter()), fh, language=language)


def test_csv_neutralises_formulas_and_has_bom_and_semicolons(rich_inventory):
    text = _export_csv(rich_inventory)
    assert text.startswith("\ufeff\"Vendor\";\"Vendor country\"")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    notes = {r[header.index("Integration")]: r[header.index("Notes")] for r in rows[1:]}
    assert notes["Lohnbuchhaltung"] == "'" + EVIL + "\nline 2"
    assert notes["K-Drive"] == "'+49 30 123"
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    comma = _export_csv(rich_inventory, delimiter=",")
    assert comma.splitlines()[0].startswith('\ufeff"Vendor","Vendor country"')


def test_xlsx_cells_are_inert_strings_and_layout(rich_inventory, tmp_path):
    path = tmp_path / "out.xlsx"
    assert _export_xlsx(rich_inventory, path) == 3
    wb = openpyxl.load_workbook(path)  # full mode: keeps cell data types
    ws = wb.active
    header = [c.value for c in ws[1]]
    notes_col = header.index("Notes") + 1
    cells = {ws.cell(row=r, column=header.index("Integration") + 1).value: ws.cell(row=r, column=notes_col)
             for r in range(2, ws.max_row + 1)}
    evil = cells["Lohnbuchhaltung"]
    assert evil.data_type == "s" and evil.value == "'" + EVIL + "\nline 2"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}4"
    with open(path, "rb") as fh:
        import zipfile

        sheet = zipfile.ZipFile(fh).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_german_headers_and_labels(rich_inventory, tmp_path):
    text = _export_csv(rich_inventory, language="de")
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert header[:4] == ["Anbieter", "Sitzland des Anbieters", "Website des Anbieters", "Name der Anwendung"]
    assert "Datenkategorien" in header and "Länder" in header


def test_json_is_a_stable_list_with_vendor_and_endpoints(rich_inventory):
    with acting(rich_inventory, role="auditor"):
        data = "".join(exporter.iter_json(exporter.export_queryset(IntegrationFilter())))
    items = json.loads(data)
    assert [i["name"] for i in items] == ["K-Drive", "Lohnbuchhaltung", "Plain"]
    first = items[1]
    assert list(first) == ["id", "name", "vendor", "kind", "purpose", "business_owner", "department", "status",
                           "tier", "data_categories", "data_subjects", "approx_users", "approx_records",
                           "processing_countries", "access_scope", "outage_impact", "discovery_source", "tags",
                           "notes", "endpoints", "created", "last_updated"]
    assert first["vendor"] == {"id": first["vendor"]["id"], "name": "Müller & Söhne GmbH", "country": "DE",
                               "website": "https://mueller.example"}
    assert first["endpoints"] == ["https://api.mueller.example/v1?x=1,2", "https://files.mueller.example"]
    assert first["notes"].startswith(EVIL)  # JSON carries data unchanged; it is not a spreadsheet
    with acting(rich_inventory, role="auditor"):
        empty = "".join(exporter.iter_json(exporter.export_queryset(IntegrationFilter(status="proposed"))))
    assert json.loads(empty) == []


def test_export_honours_list_filters(rich_inventory):
    text = _export_csv(rich_inventory, IntegrationFilter.from_params({"status": "approved"}))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2 and rows[1][3] == "Lohnbuchhaltung"
    text = _export_csv(rich_inventory, IntegrationFilter.from_params({"q": "k-dri"}))
    assert "K-Drive" in text and "Lohnbuchhaltung" not in text


def test_export_needs_permission_and_is_tenant_scoped(rich_inventory, tenant_b, make_integration, make_vendor):
    with acting(rich_inventory, role="nobody"):
        with pytest.raises(PermissionDeniedError):
            exporter.export_queryset(IntegrationFilter())
    vb = make_vendor(tenant_b, name="B only")
    make_integration(tenant_b, name="Secret of B", vendor=vb)
    assert "Secret of B" not in _export_csv(rich_inventory)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_same_tenant_is_unchanged(rich_inventory, tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        path.write_text(_export_csv(rich_inventory), encoding="utf-8", newline="")
    else:
        _export_xlsx(rich_inventory, path)
    before = integration_state(rich_inventory)
    with use_tenant(rich_inventory):
        changes = ObjectChange.objects.count()
    with acting(rich_inventory):
        report = run_import(path)
    assert [(r.action, r.errors, r.changes) for r in report.rows] == [("unchanged", [], [])] * 3
    assert integration_state(rich_inventory) == before
    with use_tenant(rich_inventory):
        assert ObjectChange.objects.count() == changes


@pytest.mark.parametrize("fmt,language", [("csv", "en"), ("csv", "de"), ("xlsx", "de")])
def test_round_trip_into_empty_tenant_recreates_equal_data(rich_inventory, tenant_b, tmp_path, fmt, language):
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        path.write_text(_export_csv(rich_inventory, language=language), encoding="utf-8", newline="")
    else:
        _export_xlsx(rich_inventory, path, language=language)
    with acting(tenant_b):
        report = run_import(path)
    assert report.counts["created"] == 3 and report.applied
    assert integration_state(tenant_b) == integration_state(rich_inventory)
    with use_tenant(tenant_b):
        assert set(Integration.objects.values_list("discovery_source", flat=True)) == {"import"}


def test_fixture_import_then_export_then_reimport_unchanged(tenant_a, tmp_path):
    with acting(tenant_a):
        run_import(FIXTURES / "inventar_de.csv")
        run_import(FIXTURES / "inventar_de.xlsx")
    path = tmp_path / "e.csv"
    path.write_text(_export_csv(tenant_a, language="de"), encoding="utf-8")
    with acting(tenant_a):
        report = run_import(path)
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 5, "rejected": 0}


def test_10000_rows_stream_in_bounded_memory(tenant_a, make_vendor):
    vendor = make_vendor(tenant_a, name="Bulk Vendor")
    with acting(tenant_a):
        Integration.objects.bulk_create(
            [Integration(tenant=tenant_a, vendor=vendor, name=f"App {i:05d}", notes="n" * 200,
                         data_categories=["personal"], processing_countries=["DE"]) for i in range(10_000)],
            batch_size=1000)
        qs = exporter.export_queryset(IntegrationFilter())
        warm = exporter.iter_csv(exporter.export_queryset(IntegrationFilter()))
        for _ in range(3):  # first rows load lazy caches (translation catalogues, content) outside the measurement
            next(warm)
        warm.close()
        lines = exporter.iter_csv(qs)
        # with the cycle collector off, only reference counting frees memory: the export must not leave
        # reference cycles behind per chunk (in a big, long-running process full collections are rare)
        gc.collect()
        gc.disable()
        try:
            tracemalloc.start()
            count = 0
            for _line in lines:
                count += 1
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            gc.enable()
        tracemalloc.start()
        materialised = list(exporter.export_queryset(IntegrationFilter()))
        _current, peak_all = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del materialised
    assert count == 10_001
    # streaming holds one chunk of model objects at a time, not all 10,000 of them
    assert peak < peak_all / 3, (peak, peak_all)
