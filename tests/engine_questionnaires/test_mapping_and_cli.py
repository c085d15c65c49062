"""The CAIQ mapping is validated content naming its source; the CLI prints mapped answers and exits 2 with
row and column on a malformed workbook."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from tests.engine_questionnaires.caiq_layout import build, row_of
from vendorvet import content
from vendorvet.cli.main import build_parser, main
from vendorvet.content import ContentError
from vendorvet.engine.checklist import NUMBERED_POINTS, load_checklist
from vendorvet.engine.questionnaires.caiq import build_mapping, load_mapping


def test_mapping_names_its_source_and_covers_every_point():
    data = content.load("caiq_v4_mapping")
    assert any("cloudsecurityalliance.org" in s for s in data["source"])
    mapping = load_mapping()
    checklist = load_checklist()
    points = {checklist.requirement(r).point for r in mapping.questions_by_requirement}
    assert set(NUMBERED_POINTS) <= points and "legal" in points
    assert all(len(r) > 20 for r in mapping.rationale.values())


def test_mapping_ships_ids_not_csa_question_text():
    from importlib import resources

    raw = resources.files("vendorvet.content").joinpath("caiq_v4_mapping.yaml").read_text(encoding="utf-8")
    # CAIQ questions are phrased "Are … established, documented, approved, communicated, applied, evaluated …"
    assert "documented, approved, communicated" not in raw


@pytest.mark.parametrize("change, message", [
    (lambda d: d["mappings"][0].update(requirement="cert.nonexistent"), "unknown requirement"),
    (lambda d: d["mappings"][0].update(questions=["XYZ-01.1"]), "not a CAIQ v4 question id"),
    (lambda d: d["mappings"][0].update(questions=["IAM-14"]), "not a CAIQ v4 question id"),
    (lambda d: d["mappings"][0].update(rationale=""), "rationale"),
    (lambda d: d["mappings"].append(dict(d["mappings"][0])), "mapped twice"),
])
def test_mapping_validation_refuses_mistakes(change, message):
    import copy

    data = copy.deepcopy(content.load("caiq_v4_mapping"))
    change(data)
    with pytest.raises(ContentError, match=message):
        build_mapping(data, {r.id for r in load_checklist().requirements})


def test_cli_caiq_check_prints_answers_per_point(tmp_path, capsys):
    path = tmp_path / "caiq.xlsx"
    path.write_bytes(build({"IAM-02.1": "No", "DSP-19.1": "No"}))
    assert main(["questionnaire", "caiq-check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "CAIQ v4.0.3 — Beispiel Cloud GmbH" in out
    assert "3. Authentication and access rights" in out
    line = next(li for li in out.splitlines() if "auth.mfa_admin" in li)
    assert "partial" in line and "IAM-14.1, IAM-02.1" in line
    assert "not verified" in out.lower()
    assert main(["questionnaire", "caiq-check", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"requirement_id": "location.declared", "answer": "no"}.items() <= \
        next(a for a in doc["answers"] if a["requirement_id"] == "location.declared").items()


def test_cli_caiq_check_exit_2_with_row_and_column(tmp_path, capsys):
    data = build({"LOG-02.1": "perhaps"})
    path = tmp_path / "caiq.xlsx"
    path.write_bytes(data)
    assert main(["questionnaire", "caiq-check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"row {row_of(data, 'LOG-02.1')}, column C (CSP CAIQ Answer)" in err
    (tmp_path / "notes.xlsx").write_bytes(b"not a workbook")
    assert main(["questionnaire", "caiq-check", str(tmp_path / "notes.xlsx")]) == 2
    assert "not an XLSX workbook" in capsys.readouterr().err


def test_cli_xlsx_template_and_check(tmp_path, capsys):
    out = tmp_path / "q.xlsx"
    assert main(["questionnaire", "xlsx-template", "--out", str(out), "--language", "en", "--tier", "4",
                 "--vendor", "Beispiel Cloud GmbH"]) == 0
    tier4 = load_checklist().requirements_for_tier(4)
    assert f"{len(tier4)} questions" in capsys.readouterr().out
    wb = load_workbook(out)
    ws = wb["Questionnaire"]
    assert [ws.cell(r, 1).value for r in range(2, len(tier4) + 2)] == [r.id for r in tier4]
    ws["D2"] = "Yes"
    ws["D3"] = "Teilweise"
    wb.save(out)
    assert main(["questionnaire", "xlsx-check", str(out), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(a["requirement_id"], a["answer"]) for a in doc["answers"]] == [(tier4[0].id, "yes"), (tier4[1].id, "partial")]
    assert doc["meta"]["vendor"] == "Beispiel Cloud GmbH"
    ws["A2"] = "cert.tisax"
    wb.save(out)
    assert main(["questionnaire", "xlsx-check", str(out)]) == 2
    assert "row 2, column A" in capsys.readouterr().err


def test_cli_template_with_chosen_requirements(tmp_path, capsys):
    out = tmp_path / "q.xlsx"
    assert main(["questionnaire", "xlsx-template", "--out", str(out), "--requirement", "enc.rest",
                 "--requirement", "legal.avv"]) == 0
    assert load_workbook(out)["Fragebogen"]["A3"].value == "legal.avv"
    assert main(["questionnaire", "xlsx-template", "--out", str(out), "--requirement", "nope.nope"]) == 2


def test_questionnaire_group_can_be_shared_by_another_module():
    import argparse

    from vendorvet.cli.options import add_group

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    actions = add_group(sub, "questionnaire", help="again")
    assert "caiq-check" in actions.choices  # the same group, not a conflicting second one
    actions.add_parser("probe")
    assert parser.parse_args(["questionnaire", "probe"]).questionnaire_action == "probe"
