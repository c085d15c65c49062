"""CSA CAIQ v4 import: a workbook built from the public layout maps to the right checklist points; malformed
workbooks are refused naming row and column."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.engine_questionnaires.caiq_layout import UNMAPPED, build, mapped_ids, row_of
from vendorvet.engine.checklist import NUMBERED_POINTS, load_checklist
from vendorvet.engine.questionnaires import CaiqError, Limits, aggregate, load_mapping, read_caiq


def _by_requirement(result):
    return {a.requirement_id: a for a in result.answers}


def test_all_yes_maps_to_every_mapped_requirement_and_every_point():
    result = read_caiq(build())
    answers = _by_requirement(result)
    mapping = load_mapping()
    assert set(answers) == set(mapping.questions_by_requirement)
    assert {a.answer for a in result.answers} == {"yes"}
    assert result.version == "4.0.3"
    assert result.vendor_name == "Beispiel Cloud GmbH"
    assert result.sheet == "CAIQv4.0.3"
    assert sorted(result.unmapped) == sorted(UNMAPPED)
    checklist = load_checklist()
    points = {checklist.requirement(r).point for r in answers}
    assert set(NUMBERED_POINTS) | {"legal"} <= points
    # provenance: which questions, which version
    assert answers["auth.mfa_admin"].source_ref == "CAIQ v4.0.3 IAM-14.1, IAM-02.1"
    assert answers["location.declared"].source_ref == "CAIQ v4.0.3 DSP-19.1"
    assert "DSP-19.1 (row" in answers["location.declared"].comment
    assert "Placeholder implementation note for DSP-19.1" in answers["location.declared"].comment


def test_specific_questions_land_on_the_right_points():
    expected = {"IAM-14.1": "auth.mfa_admin", "CEK-03.1": "enc.rest", "BCR-08.1": "resilience.backups",
                "LOG-02.1": "monitor.audit_logs", "STA-09.1": "contract.audit_right", "DSP-19.1": "location.declared",
                "TVM-06.1": "cert.pentest", "A&A-02.1": "cert.recognised", "AIS-04.1": "supply.secure_development",
                "IVS-09.1": "ratelimit.abuse_protection", "CCC-05.1": "lifecycle.deprecation_notice",
                "DSP-13.1": "legal.avv.subprocessors"}
    for qid, requirement in expected.items():
        result = read_caiq(build({qid: "No"}))
        assert _by_requirement(result)[requirement].answer in ("no", "partial"), (qid, requirement)
        changed = {a.requirement_id for a in result.answers if a.answer != "yes"}
        assert requirement in changed and changed == set(load_mapping().requirements_by_question[qid])


def test_aggregation_rule():
    assert aggregate(["yes", "yes"]) == "yes"
    assert aggregate(["yes", "no"]) == "partial"
    assert aggregate(["no", "no"]) == "no"
    assert aggregate(["no", "unknown"]) == "no"
    assert aggregate(["yes", "unknown"]) == "unknown"
    assert aggregate(["yes", "not_applicable"]) == "yes"
    assert aggregate(["not_applicable", "not_applicable"]) == "not_applicable"
    assert aggregate(["yes", "no", "unknown"]) == "partial"
    assert aggregate([]) == "unknown"


def test_aggregated_answers_end_to_end():
    data = build({"IAM-14.1": "Yes", "IAM-02.1": "No",                       # auth.mfa_admin
                  "BCR-08.1": "No", "BCR-08.2": "no", "BCR-08.3": " NO ",    # resilience.backups
                  "CEK-03.1": "NA", "CEK-04.1": "N/A",                        # enc.transit.tls12
                  "DSP-17.1": None,                                           # enc.rest: NA, NA, blank
                  "IAM-05.1": "Yes"})
    answers = _by_requirement(read_caiq(data))
    assert answers["auth.mfa_admin"].answer == "partial"
    assert answers["resilience.backups"].answer == "no"
    assert answers["enc.transit.tls12"].answer == "not_applicable"
    assert answers["enc.rest"].answer == "unknown"
    assert answers["auth.least_privilege"].answer == "yes"


def test_questions_missing_from_the_workbook_give_no_answer():
    ids = ["IAM-14.1", "DSP-19.1", "HRS-01.1"]
    result = read_caiq(build(ids=ids))
    answers = _by_requirement(result)
    assert set(answers) == {"auth.mfa_admin", "location.declared"}
    assert answers["auth.mfa_admin"].source_ref == "CAIQ v4.0.3 IAM-14.1"  # IAM-02.1 absent: not counted
    assert result.unmapped == ["HRS-01.1"]
    assert any("none of their questions" in w for w in result.warnings)


def test_grouped_header_and_v41_layout():
    result = read_caiq(build({"DSP-19.1": "No"}, version="4.1", grouped_header=True, vendor=None))
    assert result.version == "4.1"
    assert result.vendor_name is None
    assert _by_requirement(result)["location.declared"].answer == "no"


def test_csc_owned_answers_are_named():
    result = read_caiq(build({"IAM-14.1": ("Yes", "CSC-owned", "Customers enable MFA themselves.")}))
    answer = _by_requirement(result)["auth.mfa_admin"]
    assert "[CSC-owned]" in answer.comment
    assert any("IAM-14.1 is marked CSC-owned" in w for w in result.warnings)


def test_unknown_answer_in_unmapped_row_only_warns():
    result = read_caiq(build({"HRS-01.1": "Maybe"}))
    assert any("'Maybe' is not a CAIQ answer" in w for w in result.warnings)


def test_domain_rows_and_notes_are_skipped_with_a_warning():
    result = read_caiq(build(extra_rows=[("Audit & Assurance",), ("", "a note without id")]))
    assert any("'Audit & Assurance'" in w for w in result.warnings)


# --------------------------------------------------------------------------- refused


def _refused(data, **kwargs) -> CaiqError:
    with pytest.raises(CaiqError) as info:
        read_caiq(data, **kwargs)
    return info.value


def test_bad_answer_in_mapped_row_names_row_and_column():
    data = build({"CEK-03.1": "Mostly"})
    error = _refused(data)
    row = row_of(data, "CEK-03.1")
    assert (error.code, error.row, error.column, error.header) == ("bad_answer", row, "C", "CSP CAIQ Answer")
    assert f"row {row}, column C (CSP CAIQ Answer)" in str(error)
    assert "'Mostly'" in str(error) and "CEK-03.1" in str(error)


def test_answer_column_elsewhere_is_named_by_its_letter():
    headers = ["Question ID", "Question", "SSRM Control Ownership", "Notes", "CSP CAIQ Answer"]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "CAIQv4.0.2"
    ws.append(headers)
    ws.append(["IAM-14.1", "Placeholder", "CSP-owned", "", "Jein"])
    buffer = io.BytesIO()
    wb.save(buffer)
    error = _refused(buffer.getvalue())
    assert (error.row, error.column) == (2, "E")


def test_duplicate_question_id_is_refused():
    data = build(extra_rows=[("IAM-14.1", "again", "Yes")])
    error = _refused(data)
    assert error.code == "duplicate_question" and error.column == "A"
    assert error.row == row_of(data, "IAM-14.1") + len(mapped_ids()) + len(UNMAPPED) - mapped_ids().index("IAM-14.1")


def test_missing_header_is_refused_naming_the_sheet():
    data = build(headers=["ID", "Text", "Answer"])
    error = _refused(data)
    assert error.code == "missing_header" and error.sheet == "CAIQv4.0.3"
    assert "Question ID" in str(error)


def test_missing_answer_column_is_refused_naming_the_header_row():
    data = build(headers=["Question ID", "Question", "Ownership"])
    error = _refused(data)
    assert (error.code, error.row) == ("missing_header", 2)
    assert "CSP CAIQ Answer" in str(error)


def test_workbook_without_caiq_sheet_is_refused():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Name", "Value"])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert _refused(buffer.getvalue()).code == "missing_sheet"


def test_other_caiq_versions_are_refused():
    error = _refused(build(version="3.1"))
    assert error.code == "wrong_version" and "3.1" in str(error)


@pytest.mark.parametrize("data, code", [
    (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "not_xlsx"),
    (b"Question ID;CSP CAIQ Answer\nIAM-14.1;Yes\n", "not_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "legacy_or_encrypted"),
    (b"", "not_xlsx"),
])
def test_wrong_file_types_are_refused(data, code):
    error = _refused(data)
    assert error.code == code and error.row is None


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    assert _refused(buffer.getvalue()).code == "not_xlsx"


def test_truncated_file_is_refused():
    data = build()
    error = _refused(data[: len(data) // 2])
    assert error.code == "damaged" and "truncated" in str(error)


def test_zip_bomb_is_refused_without_inflating():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000
    error = _refused(data)
    assert error.code == "zip_bomb"


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "caiq.xlsx"
    path.write_bytes(build())
    error = _refused(str(path), limits=Limits(max_bytes=2_000))
    assert error.code == "too_large"


def test_too_many_rows_are_refused():
    error = _refused(build(), limits=Limits(max_rows=20))
    assert error.code == "too_many_rows" and error.sheet == "CAIQv4.0.3"


def test_reads_paths_and_file_objects(tmp_path):
    data = build({"DSP-19.1": "No"})
    path = tmp_path / "vendor-caiq.xlsx"
    path.write_bytes(data)
    for source in (str(path), path, io.BytesIO(data)):
        assert _by_requirement(read_caiq(source))["location.declared"].answer == "no"


def test_xml_entity_expansion_is_refused():
    """A billion-laughs style DOCTYPE in a sheet is refused by the XML defences, not expanded."""
    source = zipfile.ZipFile(io.BytesIO(build(ids=["IAM-14.1"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                text = data.decode("utf-8")
                assert "Placeholder question text IAM-14.1" in text
                entities = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                data = (entities + text.replace("Placeholder question text IAM-14.1", "&b;")).encode()
            out.writestr(info, data)
    error = _refused(buffer.getvalue())
    assert error.code == "forbidden_xml" and "Forbidden" in str(error)


def test_too_many_rows_without_declared_size_are_refused_at_the_row():
    """A sheet without <dimension> is counted while reading: refused at the first row past the cap."""
    source = zipfile.ZipFile(io.BytesIO(build()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                start = text.index("<dimension")
                data = (text[:start] + text[text.index("/>", start) + 2:]).encode()
            out.writestr(info, data)
    error = _refused(buffer.getvalue(), limits=Limits(max_rows=30))
    assert (error.code, error.row, error.sheet) == ("too_many_rows", 31, "CAIQv4.0.3")
