"""The DORA register engine: build, validate, package — on a small complete register and on broken copies."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from vendorvet import content
from vendorvet.engine.dora import RegisterInvalid, build, export_package, export_xlsx, lei, validate
from vendorvet.engine.dora.definitions import templates
from vendorvet.engine.dora.model import Identifier

from tests.engine_dora.sample import CLOUD_LEI, ENTITY_LEI, SUB_LEI, register

CREATED = dt.datetime(2026, 3, 15, 12, 30, 45, 123000, tzinfo=dt.timezone.utc)


def read_package(data: bytes) -> dict[str, list[list[str]] | dict]:
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8")
            out[name] = json.loads(text) if name.endswith(".json") else list(csv.reader(io.StringIO(text)))
    return out


@pytest.mark.parametrize("value, ok", [
    ("5493001KJTIIGC8Y1R12", True), ("7LTWFZYICNSX8D621K86", True), ("529900T8BM49AURSDO55", True),
    ("5493001KJTIIGC8Y1R13", False), ("5493001KJTIIGC8Y1R1", False), ("5493001kjtiigc8y1r12", False), ("", False),
])
def test_lei_check_digits_follow_iso_17442(value, ok):
    assert lei.is_valid(value) is ok


def test_check_digits_are_computed_for_a_base():
    assert lei.with_check_digits("5493001KJTIIGC8Y1R") == "5493001KJTIIGC8Y1R12"
    assert lei.is_valid(ENTITY_LEI) and lei.is_valid(CLOUD_LEI) and lei.is_valid(SUB_LEI)


def test_complete_register_has_no_issues():
    tables = build(register())
    assert validate(tables, dt.date(2026, 3, 15)) == []
    # one B_02.02 row per contract × service × function × storage country × processing country
    assert len(tables["B_02.02"]) == 1 * 2 * 1 * 2 + 1
    # supply chain from the subcontractor tree: rank 1 (recipient is the provider itself), rank 2 below it
    chain = [(r.values["c0030"], r.values["c0050"], r.values["c0060"]) for r in tables["B_05.02"]]
    assert (CLOUD_LEI, "1", CLOUD_LEI) in chain and (SUB_LEI, "2", CLOUD_LEI) in chain
    # the subcontractor is in B_05.01 without costs; direct providers carry their annual cost
    providers = {r.values["c0010"]: r.values for r in tables["B_05.01"]}
    assert providers[SUB_LEI]["c0100"] == "" and providers[CLOUD_LEI]["c0100"] == "250000"
    assert providers["HRB 12345"]["c0020"] == "eba_qCO:qx2003"


def test_package_structure_codes_and_references():
    name, data = export_package(register(), created=CREATED)
    assert name == f"{ENTITY_LEI}.IND_DE_DORA010100_DORA_2025-12-31_20260315123045123.zip"
    files = read_package(data)
    root = name[:-4]
    assert all(path.startswith(root + "/") for path in files)
    assert files[f"{root}/META-INF/reportPackage.json"] == {
        "documentInfo": {"documentType": "https://xbrl.org/report-package/2023"}}
    report = files[f"{root}/reports/report.json"]["documentInfo"]
    assert report["documentType"] == "https://xbrl.org/2021/xbrl-csv"
    assert report["extends"] == [content.load("dora/codelists")["taxonomy"]["entry_point"]]
    params = dict(files[f"{root}/reports/parameters.csv"][1:])
    assert list(params) == ["entityID", "refPeriod", "baseCurrency", "decimalsInteger", "decimalsMonetary"]
    assert params["entityID"] == f"rs:{ENTITY_LEI}.IND" and params["baseCurrency"] == "iso4217:EUR"
    indicators = files[f"{root}/reports/FilingIndicators.csv"]
    assert indicators[0] == ["templateID", "reported"] and len(indicators) == 1 + len(templates())
    for template_id, template in templates().items():
        rows = files[f"{root}/reports/{template_id.lower()}.csv"]
        assert rows[0] == list(template.codes)
        assert all(len(r) == len(template.codes) for r in rows)
    b0202 = files[f"{root}/reports/b_02.02.csv"]
    contracts = {r[0] for r in files[f"{root}/reports/b_02.01.csv"][1:]}
    providers = {r[0] for r in files[f"{root}/reports/b_05.01.csv"][1:]}
    functions = {r[0] for r in files[f"{root}/reports/b_06.01.csv"][1:]}
    assert {r[0] for r in b0202[1:]} == contracts
    assert {r[2] for r in b0202[1:]} <= providers and {r[4] for r in b0202[1:]} <= functions
    assert [r[7] for r in b0202[1:] if r[0] == "C-001"][0] == "9999-12-31"
    assert {r[2] for r in files[f"{root}/reports/b_05.02.csv"][1:]} <= providers
    assert all(lei.is_valid(r[0]) for r in files[f"{root}/reports/b_01.02.csv"][1:])
    raw = zipfile.ZipFile(io.BytesIO(data)).read(f"{root}/reports/b_01.01.csv")
    assert raw.endswith(b"\r\n")


def test_wrong_lei_is_reported_and_not_exported():
    reg = register()
    wrong = CLOUD_LEI[:-1] + str((int(CLOUD_LEI[-1]) + 1) % 10)
    reg.providers["cloud"].identifier = Identifier(wrong)
    with pytest.raises(RegisterInvalid) as caught:
        export_package(reg, created=CREATED)
    problems = {(i.template, i.row, i.column, i.code) for i in caught.value.issues}
    assert ("B_05.01", 1, "c0010", "lei_check_digits") in problems
    assert ("B_02.02", 1, "c0030", "lei_check_digits") in problems
    assert any("check digits" in str(i) and "B_03.02" in str(i) for i in caught.value.issues)


def test_missing_values_broken_references_and_code_lists_are_listed():
    reg = register()
    reg.functions[0].rto_hours = None
    reg.contracts[0].services[0].function_ids = ["F1", "F9"]
    reg.contracts[1].services[0].ict_service_type = "eba_TA:S99"
    reg.contracts[0].notice_entity_days = None
    issues = validate(build(reg), dt.date(2026, 3, 15))
    found = {(i.template, i.column, i.code) for i in issues}
    assert ("B_06.01", "c0080", "missing") in found
    assert ("B_02.02", "c0050", "dangling") in found
    assert ("B_02.02", "c0060", "not_in_list") in found
    assert ("B_02.02", "c0100", "missing") in found  # F1 is critical: notice periods are mandatory
    german = next(i for i in issues if i.code == "dangling").message_de
    assert "fehlt in B_06.01" in german


def test_unknown_column_is_reported():
    tables = build(register())
    tables["B_06.01"][0].values["c0999"] = "x"
    assert [i.code for i in validate(tables) if i.column == "c0999"] == ["unknown_column"]


def test_xlsx_lists_templates_and_issues():
    reg = register()
    reg.entity.lei = "NOTANLEI"
    book = load_workbook(io.BytesIO(export_xlsx(reg)))
    assert book.sheetnames[0] == "Issues" and "B_07.01" in book.sheetnames
    assert book["B_02.02"].cell(2, 1).value == "c0010"
    messages = [row[4] for row in book["Issues"].iter_rows(min_row=2, values_only=True)]
    assert any("NOTANLEI" in m for m in messages)


def test_german_messages_use_german_column_names():
    reg = register()
    reg.functions[0].rto_hours = None
    issue = next(i for i in validate(build(reg)) if i.column == "c0080" and i.template == "B_06.01")
    assert issue.message == "Recovery time objective of the function (hours) is missing."
    assert issue.message_de == "Wiederherstellungszeit (RTO) der Funktion (Stunden) fehlt."
