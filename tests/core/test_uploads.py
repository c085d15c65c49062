"""The shared upload rules used by evidence files and contract files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vendorvet.web.assessments import evidence
from vendorvet.web.core import uploads
from vendorvet.web.legal.forms import CONTRACT_UPLOADS

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored first and uncompressed, as ODF requires
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def code_of(rules, name, data):
    with pytest.raises(ValidationError) as exc:
        uploads.validate_upload(SimpleUploadedFile(name, data), rules)
    return exc.value.code


def test_contract_rules_accept_each_allowed_type_by_its_content():
    accepted = {
        "AVV.pdf": b"%PDF-1.7\n", "AVV.odt": odt_bytes(), "AVV.doc": OLE2, "scan.png": b"\x89PNG\r\n\x1a\n....",
        "scan.jpeg": b"\xff\xd8\xff\xe0....", "notes.txt": "Kündigung zum 31.12.".encode(),
    }
    for name, data in accepted.items():
        display, content_type = uploads.validate_upload(SimpleUploadedFile(name, data), CONTRACT_UPLOADS)
        assert display == name and content_type == uploads.KNOWN_TYPES[name.rpartition(".")[2]][0]


def test_contract_rules_refuse_what_only_looks_right_by_name():
    assert code_of(CONTRACT_UPLOADS, "AVV.doc", b"MZ\x90\x00" + b"\x00" * 60) == "content"
    assert code_of(CONTRACT_UPLOADS, "AVV.odt", b"PK\x03\x04" + b"\x00" * 60) == "content"  # a zip, not ODF
    assert code_of(CONTRACT_UPLOADS, "AVV.odt", odt_bytes("application/x-evil")) == "content"
    assert code_of(CONTRACT_UPLOADS, "AVV.txt", b"  <svg onload=alert(1)>") == "content"
    assert code_of(CONTRACT_UPLOADS, "AVV.html", b"<p>") == "type"
    assert code_of(CONTRACT_UPLOADS, "AVV.xlsx", b"PK\x03\x04") == "type"  # fine as evidence, not as a contract
    assert code_of(CONTRACT_UPLOADS, "empty.pdf", b"") == "empty"


def test_size_limit_is_the_callers(settings):
    rules = uploads.UploadRules(("txt",), max_bytes=10)
    assert code_of(rules, "a.txt", b"x" * 11) == "too_large"
    assert uploads.validate_upload(SimpleUploadedFile("a.txt", b"x" * 10), rules)[0] == "a.txt"
    settings.VENDORVET_EVIDENCE_MAX_BYTES = 5
    with pytest.raises(ValidationError):
        evidence.validate_upload(SimpleUploadedFile("a.txt", b"x" * 6))


def test_evidence_and_contract_lists_differ_where_they_should():
    assert "xlsx" in evidence.rules().extensions and "xlsx" not in CONTRACT_UPLOADS.extensions
    assert "odt" in CONTRACT_UPLOADS.extensions and "odt" not in evidence.rules().extensions
    assert CONTRACT_UPLOADS.accept_attribute().split(",") == sorted(f".{e}" for e in CONTRACT_UPLOADS.extensions)


def test_a_rule_without_a_signature_is_a_programming_error():
    with pytest.raises(ValueError, match="exe"):
        uploads.UploadRules(("pdf", "exe"), 10)


def test_display_names_are_plain_base_names():
    assert uploads.safe_name("../../etc/AVV Acme.pdf") == "AVV Acme.pdf"
    assert uploads.safe_name("C:\\Users\\x\\a;rm -rf.pdf") == "a_rm -rf.pdf"
    assert uploads.safe_name("\x00\x1f", "contract") == "contract"
    assert len(uploads.safe_name("a" * 300 + ".pdf")) == 150
