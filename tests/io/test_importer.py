"""Importing: dry run, create/update/unchanged/rejected, one transaction, partial, roles."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from tests.io.helpers import FIXTURES, write_csv
from vendorvet.web.core.context import PermissionDeniedError, use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.io.importer import run_import
from vendorvet.web.inventory.io.safety import ImportFileError
from vendorvet.web.inventory.models import Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db

HEAD = "Anbieter;Name der Anwendung;Status;Datenkategorien;Länder;Endpunkte;Notizen\n"


def _counts(tenant):
    with use_tenant(tenant):
        return (Vendor.objects.count(), Integration.objects.count(), Endpoint.objects.count(),
                ObjectChange.objects.count())


def _import(tenant, path, role="admin", user=None, **kwargs):
    with acting(tenant, user=user, role=role):
        return run_import(path, **kwargs)


def test_german_fixture_creates_vendors_and_integrations(tenant_a):
    report = _import(tenant_a, FIXTURES / "inventar_de.csv")
    assert report.applied and not report.has_rejections
    assert [(r.row, r.action) for r in report.rows] == [(4, "created"), (5, "created"), (6, "created")]
    assert report.vendors_created == 3
    with use_tenant(tenant_a):
        personio = Integration.objects.select_related("vendor").get(name="Personio")
        assert personio.vendor.name == "Personio GmbH" and personio.vendor.country == "DE"
        assert personio.status == "approved" and personio.kind == "saas"
        assert personio.data_categories == ["health", "personal"]
        assert personio.data_subjects == ["applicants", "employees"]
        assert personio.approx_users == 350 and personio.processing_countries == ["DE"]
        assert personio.tags == ["DSGVO", "HR"] and personio.discovery_source == "import"
        assert [e.url for e in personio.endpoints.all()] == ["https://api.personio.de"]
        assert personio.tier == personio.tier_result().tier
        slack = Integration.objects.get(name="Slack")
        assert slack.processing_countries == ["IE", "US"] and slack.status == "in_review"
        assert slack.vendor.country == "US"
        datev = Integration.objects.get(name="DATEV Unternehmen online")
        assert datev.status == "approved_with_conditions" and datev.business_owner == "Thomas Müller"


def test_english_fixture_and_xlsx_fixture(tenant_a):
    assert _import(tenant_a, FIXTURES / "inventory_en.csv").counts["created"] == 2
    report = _import(tenant_a, FIXTURES / "inventar_de.xlsx")
    assert report.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    with use_tenant(tenant_a):
        stripe = Integration.objects.get(name="Stripe")
        assert stripe.kind == "api" and stripe.approx_records == 250000
        assert stripe.processing_countries == ["IE", "US"] and stripe.outage_impact == "critical"
        m365 = Integration.objects.get(name="Microsoft 365")
        assert m365.access_scope == "tenant_wide" and m365.approx_users == 420
        assert m365.data_categories == ["internal", "personal"] and m365.processing_countries == ["IE", "NL"]


def test_dry_run_reports_row_by_row_and_stores_nothing(tenant_a, make_integration, tmp_path):
    make_integration(tenant_a, name="Acme CRM", status="proposed")
    before = _counts(tenant_a)
    path = write_csv(tmp_path / "x.csv", HEAD
                     + "Acme Cloud Inc.;ACME crm;genehmigt;;;;\n"
                     + "Neu GmbH;Neu-App;Approved;personal;DE;https://neu.example;\n"
                     + "Neu GmbH;Kaputt;erfunden;;;;\n"
                     + "Acme Cloud Inc.;Acme CRM;;;;;\n")
    report = _import(tenant_a, path, dry_run=True)
    assert [(r.row, r.action) for r in report.rows] == [(2, "updated"), (3, "created"), (4, "rejected"),
                                                        (5, "rejected")]
    assert report.rows[0].changes == ["Status"]
    assert report.rows[2].errors == [("Status", "Unknown value “erfunden”.")]
    assert "Duplicate of row 2" in report.rows[3].errors[0][1]
    assert not report.applied and _counts(tenant_a) == before


def test_any_rejected_row_stores_nothing_and_changes_nothing(tenant_a, make_integration, tmp_path):
    make_integration(tenant_a, name="Acme CRM", status="proposed", notes="keep me")
    before = _counts(tenant_a)
    path = write_csv(tmp_path / "x.csv", HEAD
                     + "Acme Cloud Inc.;Acme CRM;approved;;;;changed\n"
                     + "Neu GmbH;Neu-App;approved;;;;\n"
                     + "Neu GmbH;Schlecht;approved;;DE;ftp://nope.example;\n")
    report = _import(tenant_a, path)
    assert report.counts == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert report.rows[2].errors[0][0] == "Endpoints"
    assert not report.applied
    assert _counts(tenant_a) == before
    with use_tenant(tenant_a):
        crm = Integration.objects.get(name="Acme CRM")
        assert crm.status == "proposed" and crm.notes == "keep me"
        assert not Vendor.objects.filter(name="Neu GmbH").exists()


def test_partial_import_stores_valid_rows_and_reports_rejected(tenant_a, tmp_path):
    path = write_csv(tmp_path / "x.csv", HEAD
                     + "Neu GmbH;Neu-App;approved;;;;\n"
                     + "Neu GmbH;Schlecht;approved;;Atlantis;;\n"
                     + "Zweite AG;Zwei;approved;;;https://zwei.example;\n"
                     + "Dritte AG;Drei;approved;;;http://user:pw@drei.example;\n")
    report = _import(tenant_a, path, partial=True)
    assert report.applied and report.has_rejections
    assert [r.action for r in report.rows] == ["created", "rejected", "created", "rejected"]
    assert "Atlantis" in report.rows[1].errors[0][1]
    assert "credentials" in report.rows[3].errors[0][1]
    with use_tenant(tenant_a):
        assert sorted(Integration.objects.values_list("name", flat=True)) == ["Neu-App", "Zwei"]
        # the vendor created only for the rejected row 4 was rolled back with it
        assert sorted(Vendor.objects.values_list("name", flat=True)) == ["Neu GmbH", "Zweite AG"]
        assert Integration.objects.get(name="Zwei").discovery_source == "import"


def test_reimport_changes_nothing_and_logs_nothing(tenant_a):
    assert _import(tenant_a, FIXTURES / "inventar_de.csv").applied
    before = _counts(tenant_a)
    report = _import(tenant_a, FIXTURES / "inventar_de.csv")
    assert [r.action for r in report.rows] == ["unchanged"] * 3
    assert _counts(tenant_a) == before


def test_update_by_natural_key_case_insensitive_keeps_stored_spelling(tenant_a, make_vendor, as_tenant, tmp_path):
    vendor = make_vendor(tenant_a, name="Ärzte Software GmbH")
    with as_tenant(tenant_a):
        Integration.objects.create(vendor=vendor, name="Praxis-Portal", notes="old",
                                   data_categories=["personal"])
    path = write_csv(tmp_path / "x.csv", "Vendor,Integration,Notes,Data categories\n"
                     "ÄRZTE SOFTWARE GMBH,praxis-portal,new,Gesundheitsdaten\n")
    report = _import(tenant_a, path)
    assert [(r.action, sorted(r.changes)) for r in report.rows] == [("updated", ["Data categories", "Notes"])]
    with use_tenant(tenant_a):
        assert Vendor.objects.count() == 1
        i = Integration.objects.get()
        assert (i.name, i.notes, i.data_categories) == ("Praxis-Portal", "new", ["health"])
        assert i.discovery_source == "manual"
        change = ObjectChange.objects.filter(action="update").first()
        assert change.postchange_data["notes"] == "new" and change.prechange_data["notes"] == "old"


def test_vendor_country_conflict_between_rows_is_rejected(tenant_a, tmp_path):
    path = write_csv(tmp_path / "x.csv", "Vendor;Vendor country;Integration\nAcme;US;A\nAcme;DE;B\nAcme;;C\n")
    report = _import(tenant_a, path, partial=True)
    assert [r.action for r in report.rows] == ["created", "rejected", "created"]
    assert "row 2" in report.rows[1].errors[0][1]


def test_missing_key_cells_are_rejected(tenant_a, tmp_path):
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration\n;App\nAcme;\n")
    report = _import(tenant_a, path)
    assert [r.errors[0][0] for r in report.rows] == ["Vendor", "Integration"]
    assert report.counts["rejected"] == 2


def test_model_validation_messages_reach_the_report(tenant_a, tmp_path):
    long_name = "x" * 250
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration;Data categories;Vendor website\n"
                     f"Acme;{long_name};;\nAcme;B;None, personal;\nOther;C;;javascript:alert(1)\n")
    report = _import(tenant_a, path, dry_run=True)
    assert [r.action for r in report.rows] == ["rejected"] * 3
    assert report.rows[0].errors[0][0] == "Integration" and "200" in report.rows[0].errors[0][1]
    assert report.rows[1].errors[0][0] == "Data categories"
    assert report.rows[2].errors[0][0] == "Vendor website"


def test_importing_needs_import_add_and_change(tenant_a, auditor_a, assessor_a):
    with pytest.raises(PermissionDeniedError):
        _import(tenant_a, FIXTURES / "inventory_en.csv", role="auditor", user=auditor_a, dry_run=True)
    assert _counts(tenant_a)[1] == 0
    report = _import(tenant_a, FIXTURES / "inventory_en.csv", role="assessor", user=assessor_a)
    assert report.applied
    with use_tenant(tenant_a):
        assert ObjectChange.objects.filter(actor_label="arne.assessor").count() > 0


def test_import_is_tenant_scoped(tenant_a, tenant_b, make_integration, make_vendor, tmp_path):
    vb = make_vendor(tenant_b, name="Acme Cloud Inc.")
    make_integration(tenant_b, name="Acme CRM", vendor=vb, notes="B's notes")
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration;Notes\nAcme Cloud Inc.;Acme CRM;A's notes\n")
    report = _import(tenant_a, path)
    assert report.rows[0].action == "created"
    with use_tenant(tenant_b):
        assert Integration.objects.get().notes == "B's notes"
    with use_tenant(tenant_a):
        assert Integration.objects.get().notes == "A's notes"


def test_file_errors_store_nothing(tenant_a, tmp_path):
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration\nA;B\nC;D;E\n")
    with pytest.raises(ImportFileError):
        _import(tenant_a, path)
    assert _counts(tenant_a)[:2] == (0, 0)


def test_leading_quote_from_export_is_stripped(tenant_a, tmp_path):
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration;Notes;Tags\nAcme;A;'=HYPERLINK(\"x\");'-x | y\n"
                     "Acme;B;'normal quote;\n")
    _import(tenant_a, path)
    with use_tenant(tenant_a):
        a = Integration.objects.get(name="A")
        assert a.notes == '=HYPERLINK("x")' and a.tags == ["-x", "y"]
        assert Integration.objects.get(name="B").notes == "'normal quote"
