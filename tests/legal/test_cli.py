"""``vendorvet transfer-check`` (no database) and ``vendorvet export-ropa``, run in-process."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from vendorvet.cli.main import main


def run_json(capsys, *args):
    code = main(["transfer-check", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else out


def test_transfer_check_json_contract(capsys):
    code, data = run_json(capsys, "--our-role", "controller", "--vendor-role", "processor", "--vendor-country", "US",
                          "--dpf", "no", "--format", "json")
    assert code == 0
    assert data["third_country_transfer"] is True and data["basis"] == "scc" and data["scc_module"] == 2
    assert data["tia_required"] is True and data["adequacy_country"] is None
    assert "CLOUD Act" in data["jurisdiction_warning"] and data["onward_transfers"] == []
    assert isinstance(data["reasoning"], list) and len(data["reasoning"]) >= 4


def test_transfer_check_with_sub_processors_parent_and_categories(capsys):
    code, data = run_json(capsys, "--our-role", "controller", "--vendor-role", "processor", "--vendor-country", "DE",
                          "--processing-countries", "DE,IE", "--parent-country", "US", "--data-categories",
                          "personal,health", "--sub-processor", "IN", "--sub-processor", "US:dpf=yes",
                          "--sub-processor", "CA", "--canada-pipeda", "yes")
    assert code == 0 and data["basis"] == "none_needed" and data["jurisdiction_warning"]
    onward = {o["country"]: o for o in data["onward_transfers"]}
    assert onward["IN"]["basis"] == "scc" and onward["IN"]["scc_module"] == 3 and onward["IN"]["special_categories"]
    assert onward["US"]["basis"] == "dpf" and onward["US"]["adequacy_country"] == "US"
    assert onward["CA"]["basis"] == "scc"  # the sub-processor's own PIPEDA status is unknown


def test_transfer_check_canada_and_german_text(capsys):
    code, data = run_json(capsys, "--our-role", "processor", "--vendor-role", "controller", "--vendor-country",
                          "CA", "--canada-pipeda", "yes", "--language", "de")
    assert code == 0 and data["basis"] == "adequacy" and data["adequacy_country"] == "CA"
    assert data["reasoning"][0].startswith("Rollen:")
    assert main(["transfer-check", "--our-role", "controller", "--vendor-role", "processor", "--vendor-country",
                 "IN", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "basis: scc" in text and "SCC module: 2" in text


def test_transfer_check_rejects_bad_input(capsys):
    assert main(["transfer-check", "--our-role", "controller", "--vendor-role", "processor",
                 "--vendor-country", "QQ"]) == 2
    assert "unknown ISO 3166-1 country code" in capsys.readouterr().err
    assert main(["transfer-check", "--our-role", "controller", "--vendor-role", "processor", "--vendor-country",
                 "DE", "--sub-processor", "US:certified"]) == 2
    with pytest.raises(SystemExit):
        main(["transfer-check", "--our-role", "joint", "--vendor-role", "processor", "--vendor-country", "DE"])


def test_transfer_check_does_not_touch_the_database(capsys, django_db_blocker):
    with django_db_blocker.block():  # any query would raise
        code, data = run_json(capsys, "--our-role", "controller", "--vendor-role", "processor",
                              "--vendor-country", "CH")
    assert code == 0 and data["basis"] == "adequacy"


@pytest.mark.django_db
def test_export_ropa_xlsx_and_csv(auditor_a, legal_a, tmp_path, capsys):
    target = tmp_path / "vvt.xlsx"
    args = ["--tenant", "nordlicht", "--user", "aylin.auditor"]
    assert main(["export-ropa", "--format", "xlsx", "-o", str(target), "--language", "de", *args]) == 0
    assert "2 processing activities" in capsys.readouterr().err
    ws = openpyxl.load_workbook(target).active
    flat = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
    # the title now carries its citation in German style (issue 13: the register tells the truth)
    assert "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 Abs. 1 DSGVO)" in flat
    assert "HR Cloud – Berlin Hosting GmbH" in flat
    assert main(["export-ropa", "--format", "csv", "--language", "en", *args]) == 0
    out = capsys.readouterr().out.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert rows[0][0] == "Processing activity" and {r[0] for r in rows[1:]} == {
        "Acme CRM – Acme Cloud Inc.", "HR Cloud – Berlin Hosting GmbH"}
    assert main(["export-ropa", "--format", "xlsx", *args]) == 2  # xlsx needs -o


@pytest.mark.django_db
def test_export_ropa_is_tenant_bound(admin_b, legal_a, legal_b, capsys):
    assert main(["export-ropa", "--format", "csv", "--tenant", "nordlicht", "--user", "bernd.admin"]) == 1
    assert "not a member" in capsys.readouterr().err
    assert main(["export-ropa", "--format", "csv", "--tenant", "hafenblick", "--user", "bernd.admin"]) == 0
    out = capsys.readouterr().out
    assert "Secret Fleet Tracker" in out and "Acme CRM" not in out
