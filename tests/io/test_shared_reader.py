"""One CSV reading stack (vendorvet.engine.csvreader) under the inventory import and the discovery parsers:
encodings (UTF-8 with/without BOM, UTF-16 with/without BOM, Windows-1252), delimiter sniffing, size caps,
bounded cells and clear errors — the same code and the same answers in both, each in its own words."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from tests.io.helpers import FIXTURES, write_csv
from vendorvet.engine import csvreader
from vendorvet.engine.csvreader import InputFileError
from vendorvet.engine.discovery import DiscoveryInputError, parse_files
from vendorvet.web.inventory.io.readers import read_file
from vendorvet.web.inventory.io.safety import ImportFileError

INVENTORY = "Vendor;Integration;Notes\nÄrztekammer IT;Portal;Grüße\nAcme;CRM;\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("cp1252", "cp1252"),
])
def test_the_inventory_reads_every_encoding_alike(tmp_path, encoding, expected):
    parsed = read_file(write_csv(tmp_path / "x.csv", INVENTORY, encoding=encoding))
    assert parsed.encoding == expected and parsed.delimiter == ";"
    assert parsed.rows == [(2, {"vendor": "Ärztekammer IT", "name": "Portal", "notes": "Grüße"}),
                           (3, {"vendor": "Acme", "name": "CRM", "notes": ""})]


def test_discovery_reads_a_utf16_proxy_csv_like_utf8(tmp_path):
    text = "Zeit;Quelle;Zielhost\n2024-05-02 08:00:00;10.20.1.17;app.asana.com\n"
    utf8, utf16 = tmp_path / "a.csv", tmp_path / "b.csv"
    utf8.write_text(text, encoding="utf-8")
    utf16.write_bytes(text.encode("utf-16-le"))  # no BOM: recognised by its zero bytes
    a, b = parse_files("proxy_log", [utf8]), parse_files("proxy_log", [utf16])
    assert {k: (v.hits, v.clients) for k, v in a.apps.items()} == {k: (v.hits, v.clients) for k, v in b.apps.items()}
    assert ("web", "asana") in b.apps


def test_an_oversized_cell_is_the_same_error_in_both_stacks(tmp_path):
    huge = "x" * (300 * 1024)
    inventory = write_csv(tmp_path / "inv.csv", f"Vendor;Integration;Notes\nAcme;CRM;ok\nAcme;ERP;{huge}\n")
    with pytest.raises(ImportFileError, match=r"malformed near line 3: field larger than field limit"):
        read_file(inventory)
    proxy = write_csv(tmp_path / "proxy.csv", f"host;client\nslack.com;jana\nslack.com;{huge}\n")
    with pytest.raises(DiscoveryInputError, match=r"proxy.csv: not a readable CSV file near line 3: field larger"):
        parse_files("proxy_log", [proxy])
    # the inventory's own, lower cap (100,000 characters) through the same reader
    with pytest.raises(ImportFileError, match=r"near line 2: field larger than field limit \(100000\)"):
        read_file(write_csv(tmp_path / "cap.csv", f"Vendor;Integration;Notes\nAcme;CRM;{'y' * 100_001}\n"))


def test_the_inventory_shows_shared_errors_in_german(tmp_path):
    path = write_csv(tmp_path / "bad.csv", 'Vendor;Integration\n"Acme;"B\n')
    with translation.override("de"), pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert str(caught.value).startswith("Die CSV-Datei ist fehlerhaft bei Zeile 2:")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with translation.override("de"), pytest.raises(ImportFileError, match="Die Datei ist leer"):
        read_file(empty)


def test_the_german_fixture_still_sniffs_semicolon_and_cp1252():
    parsed = read_file(FIXTURES / "inventar_de.csv")
    assert (parsed.encoding, parsed.delimiter) == ("cp1252", ";")


# -- the reader itself ---------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    (b"\xef\xbb\xbfVendor", "utf-8-sig"), (b"\xff\xfeV\x00e\x00", "utf-16"), (b"\xfe\xff\x00V\x00e", "utf-16"),
    ("Vendor;Name".encode("utf-16-le"), "utf-16-le"), ("Vendor;Name".encode("utf-16-be"), "utf-16-be"),
    (b"Vendor;Name\n", None), (bytes(range(256)), None),
])
def test_sniff_encoding(head, expected):
    assert csvreader.sniff_encoding(head) == expected


def test_sniff_delimiter_default_and_scored():
    assert csvreader.sniff_delimiter("a;b;c\n1;2;3\n") == ";"
    assert csvreader.sniff_delimiter("a,b;c\n") == ","  # a tie goes to the earlier candidate
    assert csvreader.sniff_delimiter("just-a-domain.example\n") == ","
    assert csvreader.sniff_delimiter("a\tb\n") == "\t"
    assert csvreader.sniff_delimiter("x,y;z;w\n", candidates=(",", ";"), score=lambda rows: -len(rows[0])) == ","


def test_size_caps_by_disk_size_and_while_streaming(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(InputFileError) as caught:
        csvreader.check_size(path, 100)
    assert caught.value.code == "too_large" and caught.value.params == {"size": 4000, "limit": 100}
    assert str(caught.value) == "big.csv: the file is 3.9 KB, larger than the limit of 100 bytes"
    stream = io.BufferedReader(csvreader.CountingReader(io.BytesIO(b"x" * 5000), 4096, "stdin"))
    with pytest.raises(InputFileError, match="stdin: the file is larger than the limit of 4.0 KB"):
        stream.read()
    with pytest.raises(InputFileError) as caught:
        csvreader.check_size(tmp_path / "nope.csv", 100)
    assert caught.value.code == "missing"


def test_binary_and_undecodable_input_are_named(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64)
    with pytest.raises(InputFileError) as caught:
        csvreader.open_text(path, max_bytes=1000, expected="a CSV file")
    assert caught.value.code == "binary" and "not a CSV file" in str(caught.value)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("host\nmüller.example\n".encode("latin-1"))
    with pytest.raises(InputFileError) as caught:
        csvreader.detect_encoding(latin, ("utf-8",))
    assert caught.value.code == "encoding" and "not UTF-8 text" in str(caught.value)
    assert csvreader.detect_encoding(latin, ("utf-8", "cp1252")) == "cp1252"
