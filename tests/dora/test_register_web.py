"""The DORA register in the web app, the API and the CLI, on the demo's financial entity."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import acting
from tests.support.downloads import assert_download
from tests.web.conftest import assert_csp_clean
from vendorvet.cli.main import main
from vendorvet.engine.dora import lei
from vendorvet.engine.dora.definitions import templates
from vendorvet.web.demo_dora import ELBUFER_LEI, demo_lei
from vendorvet.web.dora.models import DoraFunction, DoraSettings, DoraVendor
from vendorvet.web.inventory.models import Vendor

pytestmark = pytest.mark.django_db


def _package(response) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                         else response.content))
    return {name.split("/", 1)[1]: list(csv.reader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist() if name.endswith(".csv")} | {"_names": archive.namelist()}


def test_complete_demo_register_page_and_package(elbufer_admin, login):
    client = login(elbufer_admin)
    nav = client.get(reverse("inventory:integration_list")).content.decode()
    assert f'href="{reverse("dora:register")}"' in nav
    page = client.get(reverse("dora:register"))
    html = page.content.decode()
    assert page.status_code == 200 and "the register is complete" in html
    assert reverse("dora:export", args=["zip"]) in html
    assert_csp_clean(html)
    response = client.get(reverse("dora:export", args=["zip"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    name = assert_download(response)
    assert name.startswith(f"{ELBUFER_LEI}.IND_DE_DORA010100_DORA_") and name.endswith(".zip")
    files = _package(response)
    root = name[:-4]
    assert f"{root}/META-INF/reportPackage.json" in files["_names"]
    assert f"{root}/reports/report.json" in files["_names"]
    assert [r[0] for r in files["reports/parameters.csv"][1:]] == [
        "entityID", "refPeriod", "baseCurrency", "decimalsInteger", "decimalsMonetary"]
    for template_id, template in templates().items():
        assert files[f"reports/{template_id.lower()}.csv"][0] == list(template.codes)
    contracts = {r[0] for r in files["reports/b_02.01.csv"][1:]}
    assert contracts == {"EF-2023-001", "EF-2024-007", "EF-2025-003", "EF-IG-001"}
    providers = {r[0] for r in files["reports/b_05.01.csv"][1:]}
    assert all(lei.is_valid(code) for code in providers) and len(providers) == 6
    for path, column in (("b_02.02.csv", 0), ("b_03.01.csv", 0), ("b_03.02.csv", 0), ("b_05.02.csv", 0),
                         ("b_07.01.csv", 0)):
        assert {r[column] for r in files[f"reports/{path}"][1:]} <= contracts
    assert {r[2] for r in files["reports/b_05.02.csv"][1:]} <= providers
    ranks = {(r[2], r[4]) for r in files["reports/b_05.02.csv"][1:]}
    assert any(rank == "2" for _code, rank in ranks)  # the sub-processors are rank 2 in the chain
    assert (demo_lei("HANSERZ"), "3") in ranks  # … and the one serving Nordkap rank 3
    assert [r[0] for r in files["reports/b_01.03.csv"][1:]] == ["EF-DK-001"]
    assert ["EF-2025-003", ELBUFER_LEI, "eba_ZZ:x838", "EF-DK-001"] in files["reports/b_04.01.csv"]
    group_it = demo_lei("ElbuferIT-Se")
    assert {r[0] for r in files["reports/b_01.02.csv"][1:]} == {ELBUFER_LEI, group_it}
    assert files["reports/b_02.03.csv"][1:] == [["EF-IG-001", "EF-2024-007", "true"]]
    assert files["reports/b_03.03.csv"][1:] == [["EF-IG-001", group_it, "true"]]
    assert ["EF-2024-007", group_it, "true"] in files["reports/b_03.01.csv"]
    functions = {r[0] for r in files["reports/b_06.01.csv"][1:]}
    assert {r[4] for r in files["reports/b_02.02.csv"][1:]} == functions == {"F1", "F2", "F3"}


def test_page_in_german(elbufer_admin, login):
    client = login(elbufer_admin, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("dora:register")).content.decode()
    assert "DORA-Informationsregister" in html and "vollständig" in html


def test_missing_mandatory_field_is_listed_with_its_place_and_blocks_the_package(elbufer, elbufer_admin, login):
    with acting(elbufer):
        f1 = DoraFunction.objects.get(identifier="F1")
        DoraFunction.objects.filter(pk=f1.pk).update(rto_hours=None)
    client = login(elbufer_admin)
    html = client.get(reverse("dora:register")).content.decode()
    assert "B_06.01 c0080" in html and "Recovery time objective of the function (hours) is missing" in html
    assert f'href="{reverse("dora:function_edit", args=[f1.pk])}"' in html
    assert reverse("dora:export", args=["zip"]) not in html
    refused = client.get(reverse("dora:export", args=["zip"]))
    assert refused.status_code == 302 and refused["Location"] == reverse("dora:register")
    assert "not written" in client.get(reverse("dora:register")).content.decode()
    sheet = client.get(reverse("dora:export", args=["xlsx"]))
    assert assert_download(sheet) == "dora-register.xlsx"
    book = load_workbook(io.BytesIO(sheet.content))
    assert any("c0080" == row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True))
    # filling it in through the form completes the register again
    response = client.post(reverse("dora:function_edit", args=[f1.pk]), {
        "identifier": "F1", "name": f1.name, "licensed_activity": f1.licensed_activity,
        "criticality": f1.criticality, "reasons": f1.reasons, "last_assessment": "2025-10-01", "rto_hours": "4",
        "rpo_hours": "1", "impact": f1.impact})
    assert response.status_code == 302
    assert client.get(reverse("dora:export", args=["zip"])).status_code == 200


def test_wrong_lei_is_refused_by_the_form_and_reported_if_stored(elbufer, elbufer_admin, login):
    with acting(elbufer):
        vendor = Vendor.objects.get(name="Nordkap Cloud GmbH")
        good = DoraVendor.objects.get(vendor=vendor).lei
    wrong = good[:-2] + f"{(int(good[-2:]) + 1) % 100:02d}"
    assert not lei.is_valid(wrong)
    client = login(elbufer_admin)
    response = client.post(reverse("dora:vendor", args=[vendor.pk]), {"lei": wrong, "person_type": "eba_CT:x212"})
    assert response.status_code == 400 and "check digits" in response.content.decode()
    with acting(elbufer):
        DoraVendor.objects.filter(vendor=vendor).update(lei=wrong)  # e.g. imported before validation existed
    html = client.get(reverse("dora:register")).content.decode()
    assert "check digits of LEI" in html and wrong in html
    assert client.get(reverse("dora:export", args=["zip"])).status_code == 302


def test_api_reports_the_register(elbufer, elbufer_admin, api_as):
    data = api_as(elbufer, elbufer_admin).get("/api/dora/register/").json()
    assert data["financial_entity"] is True and data["complete"] is True and data["issues"] == []
    assert data["templates"]["B_02.01"] == 4 and data["templates"]["B_06.01"] == 3
    assert data["templates"]["B_01.03"] == 1 and data["templates"]["B_03.03"] == 1


def test_tenant_that_is_not_a_financial_entity_gets_no_register(admin_a, tenant_a, login, api_as):
    client = login(admin_a)
    html = client.get(reverse("dora:register")).content.decode()
    assert "offered to financial entities" in html
    assert client.get(reverse("dora:export", args=["zip"])).status_code == 302
    assert api_as(tenant_a, admin_a).get("/api/dora/register/").json()["financial_entity"] is False
    response = client.post(reverse("dora:settings"), {
        "financial_entity": "on", "lei": "5493001KJTIIGC8Y1R12", "legal_name": "Nordlicht Finanz", "country": "DE",
        "entity_type": "eba_CT:x12", "competent_authority": "BaFin", "currency": "EUR", "consolidation": "IND"})
    assert response.status_code == 302
    with acting(tenant_a):
        assert DoraSettings.objects.get().financial_entity is True
    html = client.get(reverse("dora:register")).content.decode()
    assert "B_01.02 c0110" in html  # total assets are still missing: listed, linked to the settings
    assert f'href="{reverse("dora:settings")}"' in html


def test_auditor_may_look_but_not_change(elbufer_auditor, login):
    client = login(elbufer_auditor)
    assert client.get(reverse("dora:register")).status_code == 200
    assert client.get(reverse("dora:settings")).status_code == 403


def test_cli_check_and_export(elbufer, elbufer_admin, tmp_path, capsys):
    assert main(["dora", "check", "--tenant", "elbufer", "--user", elbufer_admin.username]) == 0
    assert main(["dora", "export", "--tenant", "elbufer", "--user", elbufer_admin.username,
                 "--out", str(tmp_path)]) == 0
    [written] = list(tmp_path.iterdir())
    assert written.name.startswith(ELBUFER_LEI) and zipfile.is_zipfile(written)
    with acting(elbufer):
        DoraSettings.objects.update(lei=ELBUFER_LEI[:-1] + "0" if ELBUFER_LEI[-1] != "0" else ELBUFER_LEI[:-1] + "1")
    capsys.readouterr()
    out_file = tmp_path / "again.zip"
    assert main(["dora", "export", "--tenant", "elbufer", "--user", elbufer_admin.username,
                 "-o", str(out_file)]) == 1
    err = capsys.readouterr().err
    assert "B_01.01 row 1 c0010" in err and "check digits" in err and "nothing written" in err
    assert not out_file.exists() and not (tmp_path / "again.zip.part").exists()
    assert main(["dora", "check", "--tenant", "elbufer", "--user", elbufer_admin.username, "--format",
                 "json"]) == 1


def test_integration_page_shows_the_dora_panel_for_financial_entities(elbufer, elbufer_admin, login, admin_a,
                                                                      tenant_a, make_integration):
    from vendorvet.web.inventory.models import Integration

    with acting(elbufer):
        soc = Integration.objects.get(name="Fleetwatch SOC")
    client = login(elbufer_admin)
    detail = client.get(reverse("inventory:integration_detail", args=[soc.pk])).content.decode()
    assert reverse("dora:integration_panel", args=[soc.pk]) in detail
    panel = client.get(reverse("dora:integration_panel", args=[soc.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "EF-2025-003" in panel and "F1 Zahlungsverkehr" in panel
    assert reverse("dora:integration", args=[soc.pk]) in panel
    other = make_integration(tenant_a, name="Plain SaaS")
    empty = login(admin_a).get(reverse("dora:integration_panel", args=[other.pk]), HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and empty.content == b""  # not a financial entity: no DORA panel
