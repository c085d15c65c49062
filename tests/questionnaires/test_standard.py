"""The wiring of the standard questionnaires (CSA CAIQ v4 in, our questionnaire as XLSX out and back). The readers
and writers are engine modules built separately; until they are installed the command says so and stores nothing."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import acting

pytestmark = pytest.mark.django_db

INSTALLED = importlib.util.find_spec("vendorvet.engine.questionnaires") is not None


def _count(tenant):
    from vendorvet.web.questionnaires.models import Questionnaire

    with acting(tenant):
        return Questionnaire.objects.count()


@pytest.mark.skipif(INSTALLED, reason="the CAIQ reader is installed")
def test_import_caiq_says_the_reader_is_missing_and_stores_nothing(tenant_a, assessor_a, started, tmp_path, capsys):
    from vendorvet.cli.main import main

    sheet = tmp_path / "caiq.xlsx"
    sheet.write_bytes(b"PK\x03\x04not really a workbook")
    code = main(["questionnaire", "import-caiq", str(started.pk), str(sheet), "--user", assessor_a.username])
    assert code == 1 and "not installed" in capsys.readouterr().err
    assert _count(tenant_a) == 0


def test_a_malformed_caiq_is_refused_with_nothing_stored(tenant_a, assessor_a, started, tmp_path, capsys):
    pytest.importorskip("vendorvet.engine.questionnaires.caiq")
    from vendorvet.cli.main import main

    sheet = tmp_path / "caiq.xlsx"
    sheet.write_bytes(b"this is not a spreadsheet")
    code = main(["questionnaire", "import-caiq", str(started.pk), str(sheet), "--user", assessor_a.username])
    assert code == 1 and "CAIQ file was not imported" in capsys.readouterr().err
    assert _count(tenant_a) == 0


def test_exported_xlsx_reads_back_into_the_open_points(tenant_a, assessor_a, send, tmp_path):
    pytest.importorskip("vendorvet.engine.questionnaires.xlsx")
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
