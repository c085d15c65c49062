"""Our questionnaire as XLSX: export → vendor fills it in (openpyxl, as a spreadsheet program would) →
re-import, in German and English; tampering and unknown answers are refused naming row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from vendorvet.engine.questionnaires import (
    QuestionnaireXlsxError, QuestionPoint, read_questionnaire_workbook, read_questionnaire_xlsx,
    write_questionnaire_xlsx,
)

POINTS = [
    QuestionPoint("enc.transit.tls12", "Do all endpoints refuse TLS 1.0 and 1.1?",
                  "Our scan on 2026-11-30 saw TLS 1.0 on api.example.test."),
    QuestionPoint("monitor.security_contact", "Do you publish a security contact?", "We found no security.txt."),
    QuestionPoint("resilience.rto_rpo", "What are RTO and RPO of the service?"),
    QuestionPoint("legal.avv", "Is a data processing agreement in place?"),
]


def _export(language="de", points=POINTS, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_questionnaire_xlsx(points, buffer, language=language, **kwargs)
    return buffer.getvalue()


def _fill(data: bytes, cells: dict[str, object], sheet: str | None = None, edit=None) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet] if sheet else wb.worksheets[1]
    for ref, value in cells.items():
        ws[ref] = value
    if edit:
        edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("language, words, sheet", [
    ("de", ("Ja", "Nein", "Nicht zutreffend", "Teilweise"), "Fragebogen"),
    ("en", ("Yes", "No", "Not applicable", "Partial"), "Questionnaire"),
])
def test_round_trip(language, words, sheet):
    data = _export(language, meta={"vendor": "Beispiel Cloud GmbH", "due": "2026-12-15"})
    filled = _fill(data, {"D2": words[0], "E2": "TLS 1.2+ only since 2026-10.", "D3": words[1],
                          "D4": words[3], "E4": "RTO 4 h, RPO 1 h", "D5": words[2]}, sheet=sheet)
    result = read_questionnaire_workbook(filled)
    assert result.language == language
    assert result.meta == {"vendor": "Beispiel Cloud GmbH", "due": "2026-12-15"}
    assert result.requirement_ids == tuple(p.requirement_id for p in POINTS)
    got = [(a.requirement_id, a.answer, a.comment, a.source_ref) for a in result.answers]
    assert got == [("enc.transit.tls12", "yes", "TLS 1.2+ only since 2026-10.", "row 2"),
                   ("monitor.security_contact", "no", "", "row 3"),
                   ("resilience.rto_rpo", "partial", "RTO 4 h, RPO 1 h", "row 4"),
                   ("legal.avv", "not_applicable", "", "row 5")]


def test_german_and_english_words_are_both_accepted_and_blank_rows_skipped():
    filled = _fill(_export("de"), {"D2": "yes", "D3": " UNBEKANNT ", "E5": "Bitte Rückruf"})
    answers = read_questionnaire_xlsx(filled)
    assert [(a.requirement_id, a.answer) for a in answers] == [
        ("enc.transit.tls12", "yes"), ("monitor.security_contact", "unknown"), ("legal.avv", "unknown")]


def test_export_layout_hidden_protected_id_column_dropdown_and_instructions(tmp_path):
    path = tmp_path / "fragebogen.xlsx"
    write_questionnaire_xlsx(POINTS, str(path), language="de", meta={"vendor": "Beispiel Cloud GmbH"})
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hinweise", "Fragebogen", "_vendorvet"]
    assert wb["_vendorvet"].sheet_state == "veryHidden"
    ws = wb["Fragebogen"]
    assert [c.value for c in ws[1]] == ["Kennung", "Frage", "Unsere Beobachtung", "Antwort", "Kommentar"]
    assert ws.column_dimensions["A"].hidden
    assert ws.protection.sheet
    assert ws["A2"].value == "enc.transit.tls12" and ws["A2"].protection.locked
    assert ws["B2"].protection.locked
    assert not ws["D2"].protection.locked and not ws["E2"].protection.locked
    assert ws["C2"].value.startswith("Our scan on 2026-11-30")
    [validation] = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Ja,Nein,Teilweise,Nicht zutreffend,Unbekannt"'
    assert str(validation.sqref) == "D2:D5"
    info = [c.value for row in wb["Hinweise"].iter_rows() for c in row if c.value]
    assert "Beispiel Cloud GmbH" in info and "Nicht zutreffend" in info
    assert any("Kennungen" in str(v) for v in info)

    english = load_workbook(io.BytesIO(_export("en")))
    assert english.sheetnames[:2] == ["Instructions", "Questionnaire"]
    assert english["Questionnaire"].data_validations.dataValidation[0].formula1 == \
        '"Yes,No,Partial,Not applicable,Unknown"'


def test_formula_injection_is_neutralised():
    points = [QuestionPoint("enc.rest", "=cmd|' /C calc'!A0", "+SUM(1,2)"),
              QuestionPoint("auth.sso", "@SUM(A1)", "-1+2")]
    data = _export("en", points=points, meta={"vendor": "=HYPERLINK(\"http://evil.test\",\"x\")"})
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Questionnaire"]
    for ref in ("B2", "C2", "B3", "C3"):
        cell = ws[ref]
        assert cell.data_type == "s" and cell.value.startswith("'"), ref
    assert ws["B2"].value == "'=cmd|' /C calc'!A0"
    info = [c for row in wb["Instructions"].iter_rows() for c in row if c.value]
    assert all(c.data_type == "s" for c in info)
    assert any(c.value == "'=HYPERLINK(\"http://evil.test\",\"x\")" for c in info)
    # and the file still reads back
    assert read_questionnaire_workbook(data).meta["vendor"].startswith("=HYPERLINK")


def test_tampered_id_is_refused_with_row_and_column():
    filled = _fill(_export("de"), {"A3": "auth.sso", "D3": "Ja"})
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(filled)
    error = info.value
    assert (error.code, error.row, error.column) == ("tampered_id", 3, "A")
    assert "row 3, column A" in str(error) and "monitor.security_contact" in str(error)


def test_swapped_rows_are_refused():
    def swap(wb):
        ws = wb.worksheets[1]
        for col in "ABC":
            ws[f"{col}2"].value, ws[f"{col}3"].value = ws[f"{col}3"].value, ws[f"{col}2"].value
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(_fill(_export("en"), {}, edit=swap))
    assert (info.value.row, info.value.column) == (2, "A")


def test_unknown_answer_is_refused_with_row_and_column():
    filled = _fill(_export("de"), {"D2": "Ja", "D4": "Vielleicht"})
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(filled)
    assert (info.value.code, info.value.row, info.value.column) == ("bad_answer", 4, "D")
    assert "'Vielleicht'" in str(info.value)


def test_added_row_is_refused():
    filled = _fill(_export("en"), {"A6": "cert.tisax", "D6": "Yes"})
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(filled)
    assert (info.value.code, info.value.row) == ("tampered", 6)


def test_altered_control_sheet_is_refused():
    def alter(wb):
        control = wb["_vendorvet"]
        control["B8"] = "auth.sso"  # claim row 3 asks another point
    filled = _fill(_export("en"), {"A3": "auth.sso"}, edit=alter)
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(filled)
    assert info.value.code == "tampered"


def test_missing_control_sheet_or_changed_header_is_refused():
    without = _fill(_export("en"), {}, edit=lambda wb: wb.remove(wb["_vendorvet"]))
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(without)
    assert info.value.code == "not_our_questionnaire"
    header = _fill(_export("en"), {"D1": "Reply"})
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(header)
    assert (info.value.code, info.value.row, info.value.column) == ("missing_header", 1, "D")


def test_secret_makes_the_control_digest_an_hmac():
    data = _fill(_export("en", secret=b"k" * 32), {"D2": "Yes"})
    assert read_questionnaire_xlsx(data, secret=b"k" * 32)[0].answer == "yes"
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(data, secret=b"other-key")
    assert info.value.code == "tampered"
    with pytest.raises(QuestionnaireXlsxError):
        read_questionnaire_xlsx(data)


def test_expected_ids_bound_the_points():
    data = _export("en")
    ids = [p.requirement_id for p in POINTS]
    assert read_questionnaire_xlsx(data, expected_ids=ids) == []
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(data, expected_ids=ids[:2])
    assert info.value.code == "tampered"


def test_not_a_workbook_is_refused():
    with pytest.raises(QuestionnaireXlsxError) as info:
        read_questionnaire_xlsx(b"Kennung;Antwort\nenc.rest;Ja\n")
    assert info.value.code == "not_xlsx"


def test_writer_refuses_bad_input():
    with pytest.raises(ValueError):
        _export("fr")
    with pytest.raises(ValueError):
        _export("en", points=[QuestionPoint("not an id", "?")])
    with pytest.raises(ValueError):
        _export("en", points=[POINTS[0], POINTS[0]])
