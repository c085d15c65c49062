"""The standard questionnaires through the web layer: a vendor's CSA CAIQ v4 in, our questionnaire as XLSX out and
back — answers land on the questionnaire's points as vendor-stated, a malformed or tampered file stores nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from tests.conftest import acting
from tests.engine_questionnaires import caiq_layout

pytestmark = pytest.mark.django_db


def _count(tenant):
    from vendorvet.web.questionnaires.models import Questionnaire

    with acting(tenant):
        return Questionnaire.objects.count()


def test_a_malformed_caiq_is_refused_with_nothing_stored(tenant_a, assessor_a, started, tmp_path, capsys):
    from vendorvet.cli.main import main

    sheet = tmp_path / "caiq.xlsx"
    sheet.write_bytes(b"this is not a spreadsheet")
    code = main(["questionnaire", "import-caiq", str(started.pk), str(sheet), "--user", assessor_a.username])
    assert code == 1 and "CAIQ file was not imported" in capsys.readouterr().err
    assert _count(tenant_a) == 0


def test_exported_xlsx_reads_back_into_the_open_points(tenant_a, assessor_a, send, tmp_path):
    from vendorvet.web.questionnaires import standard

    q = send(points=["cert.pentest"])
    out = tmp_path / "questionnaire.xlsx"
    with acting(tenant_a, assessor_a, role="assessor"):
        with open(out, "wb") as handle:
            standard.export_xlsx(q, handle)
        assert out.stat().st_size > 0
        assert standard.import_xlsx(q, out) == 0  # nothing filled in yet: nothing stored
    q.refresh_from_db()
    assert q.status == "sent"  # nothing was answered: the questionnaire is unchanged


def test_a_completed_caiq_becomes_vendor_stated_answers(tenant_a, assessor_a, started, tmp_path, capsys):
    from vendorvet.cli.main import main
    from vendorvet.web.questionnaires.models import Questionnaire

    with acting(tenant_a):
        wanted = set(started.answers.values_list("requirement_id", flat=True))
    sheet = tmp_path / "caiq.xlsx"
    sheet.write_bytes(caiq_layout.build(default="Yes"))
    code = main(["questionnaire", "import-caiq", str(started.pk), str(sheet), "--user", assessor_a.username])
    assert code == 0, capsys.readouterr().err
    with acting(tenant_a):
        q = Questionnaire.objects.get()
        items = list(q.items.all())
    assert q.status == "submitted" and items
    assert {i.requirement_id for i in items} <= wanted
    assert all(i.vendor_answer == "met" and i.state == "answered" for i in items)
    assert all("CAIQ v4" in i.vendor_comment for i in items)  # the source rows stay visible


def test_a_filled_xlsx_reads_back_and_a_tampered_one_stores_nothing(tenant_a, assessor_a, send, tmp_path):
    from vendorvet.web.questionnaires import standard

    q = send(points=["cert.pentest", "monitor.security_contact"])
    out = tmp_path / "questionnaire.xlsx"
    with acting(tenant_a, assessor_a, role="assessor"):
        with open(out, "wb") as handle:
            standard.export_xlsx(q, handle)
    wb = load_workbook(out)
    ws = wb.worksheets[1]  # instructions, the questionnaire (id | question | observed | answer | comment), control
    assert [ws["A2"].value, ws["A3"].value] == ["cert.pentest", "monitor.security_contact"]
    ws["D2"] = "yes" if q.language == "en" else "ja"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    with acting(tenant_a, assessor_a, role="assessor"):
        assert standard.import_xlsx(q, filled) == 1
    q.refresh_from_db()
    assert q.status == "submitted"
    # an id edited in the sheet is refused; nothing more is stored
    ws["A3"], ws["D3"] = "legal.avv.signed", "no" if q.language == "en" else "nein"
    tampered = tmp_path / "tampered.xlsx"
    wb.save(tampered)
    with acting(tenant_a, assessor_a, role="assessor"):
        with pytest.raises(ValidationError):
            standard.import_xlsx(q, tampered)
        assert sorted(q.items.values_list("vendor_answer", flat=True)) == sorted(["met", ""])
