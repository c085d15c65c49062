"""``vendorvet import`` and ``vendorvet export``, run in-process like the console script."""

from __future__ import annotations

import csv
import io
import json
import time

import openpyxl
import pytest

from tests.io.helpers import FIXTURES, sparse_file, zip_bomb_xlsx
from vendorvet.cli.main import main
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Integration

pytestmark = pytest.mark.django_db


def _names(tenant):
    with use_tenant(tenant):
        return sorted(Integration.objects.values_list("name", flat=True))


def test_import_dry_run_then_real_then_again(tenant_a, assessor_a, capsys):
    args = ["import", str(FIXTURES / "inventar_de.csv"), "--tenant", "nordlicht", "--user", "arne.assessor"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "row     4  created    Personio GmbH / Personio" in out
    assert "3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected; 3 new vendors" in out
    assert "dry run: nothing was stored" in out and _names(tenant_a) == []

    assert main(args) == 0
    assert "import stored" in capsys.readouterr().out
    assert _names(tenant_a) == ["DATEV Unternehmen online", "Personio", "Slack"]
    with use_tenant(tenant_a):
        assert ObjectChange.objects.filter(actor_kind="cli").exists()
        changes = ObjectChange.objects.count()

    assert main(args) == 0
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out
    with use_tenant(tenant_a):
        assert ObjectChange.objects.count() == changes


def test_import_with_rejected_rows_exits_1(tenant_a, admin_a, tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("Vendor;Integration;Status\nAcme;Good;approved\nAcme;Bad;erfunden\n", encoding="utf-8")
    args = ["import", str(path), "--tenant", "nordlicht", "--user", "anna.admin"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "row     3  rejected   Acme / Bad" in out and "Status: Unknown value “erfunden”." in out
    assert "nothing was stored" in out and _names(tenant_a) == []
    assert main([*args, "--partial"]) == 1
    assert "partial import" in capsys.readouterr().out
    assert _names(tenant_a) == ["Good"]


@pytest.mark.parametrize("maker,message", [
    (lambda p: sparse_file(p / "huge.csv", 200 * 1024 * 1024), "larger than the limit"),
    (lambda p: zip_bomb_xlsx(p / "bomb.xlsx"), "zip bomb"),
    (lambda p: (p / "x.xlsx").write_bytes(b"just text") and p / "x.xlsx", "not an Excel workbook"),
], ids=["200MB", "zip-bomb", "fake-xlsx"])
def test_hostile_files_get_a_clear_error(tenant_a, admin_a, tmp_path, capsys, maker, message):
    path = maker(tmp_path)
    started = time.monotonic()
    assert main(["import", str(path), "--tenant", "nordlicht", "--user", "anna.admin"]) == 1
    assert time.monotonic() - started < 2
    assert message in capsys.readouterr().err and _names(tenant_a) == []


def test_import_needs_the_import_permission(tenant_a, auditor_a, capsys):
    code = main(["import", str(FIXTURES / "inventory_en.csv"), "--tenant", "nordlicht", "--user", "aylin.auditor"])
    assert code == 1 and "permission denied" in capsys.readouterr().err and _names(tenant_a) == []


def test_import_missing_file(tenant_a, admin_a, capsys):
    assert main(["import", "/nonexistent/x.csv", "--tenant", "nordlicht", "--user", "anna.admin"]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.fixture
def imported(tenant_a, admin_a, capsys):
    main(["import", str(FIXTURES / "inventar_de.csv"), "--tenant", "nordlicht", "--user", "anna.admin"])
    capsys.readouterr()
    return tenant_a


def test_export_csv_to_stdout_with_filters(imported, auditor_a, capsys):
    base = ["export", "--tenant", "nordlicht", "--user", "aylin.auditor"]
    assert main([*base, "--format", "csv", "--status", "approved"]) == 0
    text = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [r[3] for r in rows[1:]] == ["Personio"]
    assert main([*base, "--format", "csv", "--delimiter", ",", "--language", "de"]) == 0
    header = next(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert header[0] == "Anbieter"


def test_export_json_and_xlsx(imported, auditor_a, tmp_path, capsys):
    base = ["export", "--tenant", "nordlicht", "--user", "aylin.auditor"]
    assert main([*base, "--format", "json", "--q", "slack"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["name"] for i in items] == ["Slack"] and items[0]["vendor"]["name"] == "Slack Technologies, LLC"

    assert main([*base, "--format", "xlsx"]) == 2
    assert "-o FILE" in capsys.readouterr().err
    out = tmp_path / "inv.xlsx"
    assert main([*base, "--format", "xlsx", "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    assert ws.max_row == 4 and ws.freeze_panes == "A2"


def test_export_then_import_round_trip_via_cli(imported, admin_a, tenant_b, admin_b, tmp_path, capsys):
    out = tmp_path / "inv.csv"
    assert main(["export", "-o", str(out), "--tenant", "nordlicht", "--user", "anna.admin"]) == 0
    assert main(["import", str(out), "--tenant", "nordlicht", "--user", "anna.admin"]) == 0
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in capsys.readouterr().out
    assert main(["import", str(out), "--tenant", "hafenblick", "--user", "bernd.admin"]) == 0
    assert _names(tenant_b) == _names(imported)


def test_export_of_another_tenant_is_refused(imported, admin_b, capsys):
    assert main(["export", "--tenant", "nordlicht", "--user", "bernd.admin"]) == 1
    captured = capsys.readouterr()
    assert "not a member" in captured.err and "Personio" not in captured.out
