"""Reading generated certificates and reports: every field right, nothing invented, layouts handled."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.support import documents
from vendorvet.cli.main import main
from vendorvet.engine.documents import DocumentError, read_document
from vendorvet.engine.documents.rules import parse_date
from vendorvet.engine.documents.text import read_file

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, documents.Sample], dict[str, dict]]:
    directory = tmp_path_factory.mktemp("documents")
    samples = {sample.name: sample for sample in documents.build_all(directory)}
    results = {name: read_document(str(directory / name), today=TODAY) for name in samples}
    return directory, samples, results


@pytest.mark.parametrize("name", sorted(documents.BUILDERS))
def test_every_field_right_and_nothing_invented(corpus, name):
    _directory, samples, results = corpus
    sample, result = samples[name], results[name]
    assert result["kind"] == sample.kind
    got = {field: entry["value"] for field, entry in result["fields"].items()}
    assert got == sample.expected
    quoted = {"holder", "scope", "service_organization", "service_auditor", "auditor", "certification_body",
              "certificate_number", "accreditation_body"}
    for field, entry in result["fields"].items():
        assert isinstance(entry["page"], int) and entry["page"] >= 1
        assert entry["text"].strip()
        if field in quoted:  # a name or scope is quoted from the words it came from
            assert entry["value"].split()[0] in entry["text"]


def test_whole_set_accuracy(corpus):
    _directory, samples, results = corpus
    score = documents.score(list(samples.values()), results)
    assert score["expected"] >= 70
    assert score["right"] == score["expected"], score["wrong"]
    assert score["invented"] == [] and score["kinds"] == []


def test_pdf_without_text_layer_says_so_and_returns_nothing(corpus):
    _directory, _samples, results = corpus
    result = results["image_only.pdf"]
    assert result == {"kind": "unknown", "fields": {}, "notes": [result["notes"][0]]}
    assert "no text layer" in result["notes"][0]


def test_notes_warn_about_2013_certificates_and_old_soc2_periods(corpus, tmp_path):
    directory, _samples, results = corpus
    assert any("2025-10-31" in note for note in results["iso_table_de.pdf"]["notes"])
    assert not any("2013" in note for note in results["iso_centred_en.pdf"]["notes"])
    assert results["soc2_type2_en.pdf"]["notes"] == []  # period ended 2026-03-31, two months before TODAY
    late = read_document(str(directory / "soc2_type2_en.pdf"), today=date(2027, 6, 1))
    assert any("more than 12 months ago" in note for note in late["notes"])


def test_repeated_headers_and_footers_are_dropped_but_body_text_kept(corpus):
    directory, _samples, _results = corpus
    text = "\n".join(page.text for page in read_file(str(directory / "soc2_type2_en.pdf")).pages)
    assert "Proprietary and confidential" not in text
    assert "SOC 2 Type II Report - Confidential" not in text
    assert "Subservice Organizations" in text and "Brightwater & Cole LLP" in text


def test_two_columns_are_read_column_by_column(corpus):
    directory, _samples, _results = corpus
    page = read_file(str(directory / "soc2_type2_de_columns.pdf")).pages[1]
    left_start = page.lines.index("Wir haben die Beschreibung des Systems der")
    right_start = page.lines.index("Eingeschränktes Prüfungsurteil: Mit Ausnahme der")
    assert page.lines[left_start + 1] == "Wolkenwerk AG sowie die Eignung und Wirksamkeit"
    assert page.lines[right_start + 1] == "Auswirkungen des im folgenden Absatz beschriebenen"
    assert right_start > page.lines.index("Gegenstand der Prüfung waren.")
    assert page.lines[-1] == "Keller Lindner Wirtschaftsprüfungsgesellschaft"  # the signature below both columns


def test_table_rows_keep_label_and_value_together(corpus):
    directory, _samples, _results = corpus
    lines = read_file(str(directory / "iso_table_de.pdf")).pages[0].lines
    assert "Gültig bis | 31.10.2025" in lines


@pytest.mark.parametrize("raw, expected", [
    ("31. Mai 2025", "2025-05-31"), ("1 July 2024", "2024-07-01"), ("March 31, 2026", "2026-03-31"),
    ("01.10.2024", "2024-10-01"), ("2025-02-03", "2025-02-03"), ("31.02.2025", None), ("13 Smarch 2025", None),
])
def test_dates_in_english_and_german(raw, expected):
    assert parse_date(raw) == expected


def test_files_that_are_not_documents_are_refused(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("ISO/IEC 27001:2022 Certificate")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    not_docx = tmp_path / "fake.docx"
    not_docx.write_bytes(b"PK\x03\x04 not really a zip")
    for path in (text, broken, not_docx):
        with pytest.raises(DocumentError):
            read_document(str(path))


def test_cli_prints_the_contract_as_json_and_a_table(corpus, capsys):
    directory, _samples, _results = corpus
    path = str(directory / "c5_type2_de.pdf")
    assert main(["doc", "read", path, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["kind"] == "c5_attestation"
    assert printed["fields"]["period_start"] == {"value": "2024-10-01", "page": 1,
                                                 "text": "Prüfzeitraum | 01.10.2024 bis 30.09.2025"}
    assert set(printed) == {"kind", "fields", "notes"}
    assert main(["doc", "read", path]) == 0
    table = capsys.readouterr().out
    assert "Kind: c5_attestation" in table and "auditor: Rautenberg & Vogt GmbH Wirtschaftsprüfungsgesellschaft" in table


def test_cli_errors_are_clear(tmp_path, capsys):
    assert main(["doc", "read", str(tmp_path / "missing.pdf")]) == 1
    assert "no such file" in capsys.readouterr().err
    other = tmp_path / "x.txt"
    other.write_text("hello")
    assert main(["doc", "read", str(other), "--format", "json"]) == 1
    assert "not a PDF or DOCX" in capsys.readouterr().err


def test_password_protected_pdf_is_refused_and_an_owner_password_only_pdf_is_read(corpus, tmp_path):
    from pypdf import PdfReader, PdfWriter

    directory, _samples, results = corpus
    for user_password, readable in (("secret", False), ("", True)):
        writer = PdfWriter(clone_from=PdfReader(str(directory / "bridge_en.pdf")))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
        target = tmp_path / f"locked-{readable}.pdf"
        with open(target, "wb") as handle:
            writer.write(handle)
        if readable:
            assert read_document(str(target), today=TODAY)["fields"] == results["bridge_en.pdf"]["fields"]
        else:
            with pytest.raises(DocumentError, match="password"):
                read_document(str(target))


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    from vendorvet.engine.documents import text

    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 2048)
    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1024)
    with pytest.raises(DocumentError, match="larger than"):
        read_document(str(path))
