"""Reading CSV/XLSX: encodings, delimiters, German/English headers, and hostile files."""

from __future__ import annotations

import time
import zipfile

import pytest

from tests.io.helpers import FIXTURES, sparse_file, write_csv, xlsx_bytes, zip_bomb_xlsx
from vendorvet.web.inventory.io import safety
from vendorvet.web.inventory.io.columns import (
    column_set,
    header_lookup,
    neutralize,
    normalize_header,
    parse_cell,
    unneutralize,
)
from vendorvet.web.inventory.io.readers import read_file
from vendorvet.web.inventory.io.safety import ImportFileError


def test_column_definitions_are_complete_and_headers_unambiguous():
    cs = column_set()
    assert {c.key for c in cs.required} == {"vendor", "name"}
    seen = {}
    for col in cs.columns:
        assert col.type in {"text", "int", "choice", "multi_choice", "country", "countries", "tags", "urls"}
        for text in (col.header_en, col.header_de, *col.aliases):
            key = normalize_header(text)
            assert seen.setdefault(key, col.key) == col.key, f"header {text!r} is ambiguous"
    assert header_lookup()[normalize_header("  NAME DER ANWENDUNG ")].key == "name"
    assert header_lookup()[normalize_header("laender")].key == "processing_countries"
    assert header_lookup()[normalize_header("Abteilung")].key == "department"


@pytest.mark.parametrize("text,expected", [
    ("personenbezogen", ["personal"]), ("Personal data", ["personal"]), ("personal", ["personal"]),
    ("Personenbezogen, Finanzdaten", ["financial", "personal"]),
    ("health|credentials", ["credentials", "health"]), ("Intern\nGesundheit", ["health", "internal"]),
    ("Special categories (GDPR Art. 9); Financial", ["financial", "special_category"]),
])
def test_data_category_values_in_any_language(text, expected):
    assert parse_cell(column_set().by_key("data_categories"), text) == expected


@pytest.mark.parametrize("text,expected", [
    ("genehmigt", "approved"), ("Approved", "approved"), ("approved", "approved"),
    ("Genehmigt mit Auflagen", "approved_with_conditions"), ("In Prüfung", "in_review"),
    ("in_review", "in_review"), ("Abgelehnt", "rejected"),
])
def test_status_values(text, expected):
    assert parse_cell(column_set().by_key("status"), text) == expected


def test_countries_names_codes_and_commas_inside_names():
    col = column_set().by_key("processing_countries")
    assert parse_cell(col, "Deutschland, USA") == ["DE", "US"]
    assert parse_cell(col, "de; Irland | Germany") == ["DE", "IE"]
    assert parse_cell(col, "Österreich") == ["AT"]
    assert parse_cell(col, "Vereinigte Staaten") == ["US"]
    with pytest.raises(ValueError, match="Atlantis"):
        parse_cell(col, "DE, Atlantis")


def test_numbers_in_german_and_english_notation():
    col = column_set().by_key("approx_records")
    assert parse_cell(col, "250.000") == 250000
    assert parse_cell(col, "250,000") == 250000
    assert parse_cell(col, "ca. 1200") == 1200
    assert parse_cell(col, "") is None
    with pytest.raises(ValueError):
        parse_cell(col, "viele")


def test_formula_neutralising_round_trips_exactly():
    for value in ["=1+1", "+49 30 1234", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''@x", "plain", "'quoted"]:
        escaped = neutralize(value)
        assert escaped[:1] not in "=+-@\t\r"
        assert unneutralize(escaped) == value
    assert neutralize("plain") == "plain" and neutralize(42) == 42


def test_german_cp1252_semicolon_file_with_title_rows():
    parsed = read_file(FIXTURES / "inventar_de.csv")
    assert parsed.encoding == "cp1252" and parsed.delimiter == ";"
    assert [r[0] for r in parsed.rows] == [4, 5, 6]
    first = parsed.rows[0][1]
    assert first["vendor"] == "Personio GmbH" and first["department"] == "Personal"
    assert parsed.rows[1][1]["business_owner"] == "Thomas Müller"
    assert parsed.rows[2][1]["processing_countries"] == "USA; Irland"


def test_english_utf8_bom_comma_file():
    parsed = read_file(FIXTURES / "inventory_en.csv")
    assert parsed.encoding == "utf-8-sig" and parsed.delimiter == ","
    assert parsed.rows[0][1]["vendor"] == "Atlassian Pty Ltd"
    assert parsed.rows[1][1]["data_categories"] == "Financial; Personal data"


def test_utf8_without_bom(tmp_path):
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration;Notes\nÄrztekammer IT;Portal;Grüße\n")
    parsed = read_file(path)
    assert parsed.encoding == "utf-8" and parsed.rows[0][1]["notes"] == "Grüße"


def test_xlsx_fixture():
    parsed = read_file(FIXTURES / "inventar_de.xlsx")
    assert parsed.kind == "xlsx"
    row = parsed.rows[0][1]
    assert row["name"] == "Microsoft 365" and row["approx_users"] == "420"
    assert row["data_categories"] == "Personenbezogen\nIntern"


@pytest.mark.parametrize("content,message", [
    ("Vendor;Integration;Notes\nA;B;C;D;E\n", "ragged"),
    ("Vendor;Integration;Notes\nA;B\n", "ragged"),
    ("Foo;Bar\n1;2\n", "No header row"),
    ("Vendor;Notes\nAcme;x\n", "No header row"),
    ("", "empty"),
    ('Vendor;Integration\n"Acme;"B\n', "malformed"),
    ("Vendor;Integration;Vendor name\nA;B;C\n", "twice"),
])
def test_malformed_csv_gets_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message):
        read_file(path)


def test_trailing_empty_fields_are_not_ragged(tmp_path):
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration\nAcme;CRM;;\n")
    assert read_file(path).rows == [(2, {"vendor": "Acme", "name": "CRM"})]


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(ImportFileError, match="binary"):
        read_file(path)
    path.write_bytes(b"Vendor;Integration\n" + bytes([0x81, 0x8D, 0x90]) * 50)  # undefined in cp1252 too
    with pytest.raises(ImportFileError):
        read_file(path)


def test_200_mb_file_is_refused_by_size_without_reading(tmp_path):
    path = sparse_file(tmp_path / "huge.csv", 200 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="larger than the limit"):
        read_file(path)
    assert time.monotonic() - started < 1.0


def test_limit_comes_from_settings(tmp_path, settings):
    settings.VENDORVET_IMPORT_MAX_BYTES = 100
    path = write_csv(tmp_path / "x.csv", "Vendor;Integration\n" + "Acme;CRM\n" * 20)
    with pytest.raises(ImportFileError, match="larger than the limit"):
        read_file(path)


def test_too_many_rows(tmp_path):
    cap = column_set().max_rows
    path = tmp_path / "many.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Vendor;Integration\n")
        for i in range(cap + 1):
            fh.write(f"Acme;App {i}\n")
    with pytest.raises(ImportFileError, match=f"more than {cap} rows"):
        read_file(path)


def test_too_many_columns(tmp_path):
    path = write_csv(tmp_path / "wide.csv", "Vendor;Integration;" + ";".join(f"x{i}" for i in range(300)) + "\n")
    with pytest.raises(ImportFileError, match="columns"):
        read_file(path)


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):
    path = zip_bomb_xlsx(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="zip bomb"):
        read_file(path)
    assert time.monotonic() - started < 1.0


def test_xlsx_declared_total_size_limit(tmp_path, settings):
    settings.VENDORVET_IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes([["Vendor", "Integration"], ["Acme", "CRM"]]))
    with pytest.raises(ImportFileError, match="expand"):
        read_file(path)


def test_xlsx_with_too_many_entries(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(safety.MAX_ZIP_ENTRIES + 1):
            zf.writestr(f"xl/media/{i}.bin", b"")
    with pytest.raises(ImportFileError, match="too many parts"):
        read_file(path)


@pytest.mark.parametrize("payload,message", [
    (b"Vendor;Integration\nAcme;CRM\n", "not an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel"),
    (b"PK\x03\x04garbage" * 10, "not a valid XLSX"),
])
def test_fake_xlsx(tmp_path, payload, message):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(payload)
    with pytest.raises(ImportFileError, match=message):
        read_file(path)


def test_plain_zip_is_not_a_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ImportFileError, match="not an XLSX"):
        read_file(path)


def test_xlsx_entity_expansion_is_refused(tmp_path):
    """A 'billion laughs' sharedStrings part: defusedxml refuses it instead of expanding it."""
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes([["Vendor", "Integration"], ["Acme", "CRM"]]))
    evil = tmp_path / "evil.xlsx"
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
              '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol3;</workbook>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = laughs.encode() if info.filename == "xl/workbook.xml" else src.read(info.filename)
            dst.writestr(info.filename, data)
    with pytest.raises(ImportFileError, match="forbidden XML.*EntitiesForbidden"):
        read_file(evil)


def test_xlsx_row_cap(tmp_path, monkeypatch):
    from vendorvet.web.inventory.io import readers

    small = readers.column_set().__class__(column_set().columns, 3, 200, column_set().value_aliases)
    monkeypatch.setattr(readers, "column_set", lambda: small)
    path = tmp_path / "rows.xlsx"
    path.write_bytes(xlsx_bytes([["Vendor", "Integration"]] + [["Acme", f"App {i}"] for i in range(5)]))
    with pytest.raises(ImportFileError, match="more than 3 rows"):
        read_file(path)


def test_xlsx_too_many_columns(tmp_path):
    path = tmp_path / "wide.xlsx"
    path.write_bytes(xlsx_bytes([["Vendor", "Integration"] + [None] * 250 + ["far away"], ["Acme", "CRM"]]))
    with pytest.raises(ImportFileError, match="253 columns, more than 200"):
        read_file(path)
