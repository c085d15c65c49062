"""Coverage as a first-class answer (engine): checked / not checked (no data for the ecosystem) / not
checkable (no usable package URL or version); damaged OSV archives store nothing and never crash."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest

from vendorvet.engine.supplychain import coverage
from vendorvet.engine.supplychain.sbom import parse
from vendorvet.engine.supplychain.store import ImportError_, OsvStore, database_status

from .conftest import OSV_DIR

LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"


def cdx(components: list[dict]) -> bytes:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                       "components": components}).encode()


def test_assess_classifies_every_component():
    cov = coverage.assess(
        [(LOG4J, "log4j-core", "2.14.1"), ("pkg:npm/lodash@4.17.20", "lodash", "4.17.20"),
         ("pkg:generic/thing@1.0", "thing", "1.0"), ("pkg:pypi/requests", "requests", "")],
        [("in-house-lib", "3.2", "no_purl")], {"Maven": 3})
    assert cov.status == coverage.PARTIAL and cov.components == 4 and cov.checked == 1
    assert {(n["purl"], n["reason"]) for n in cov.not_checked} == {
        ("pkg:npm/lodash@4.17.20", "no vulnerability data for npm"),
        ("pkg:generic/thing@1.0", "no vulnerability data source for package type generic")}
    assert [(n["name"], n["version"], n["reason"]) for n in cov.not_checkable] == [
        ("in-house-lib", "3.2", "no package URL"), ("requests", "", "no version")]
    assert cov.missing_ecosystems == ["generic", "npm"]
    assert coverage.assess([(LOG4J, "log4j-core", "2.14.1")], [], {"Maven": 1}).status == coverage.CHECKED
    assert coverage.assess([(LOG4J, "log4j-core", "2.14.1")], [], {}).status == coverage.NOT_CHECKED
    assert coverage.assess([], [("x", "1", "no_purl")], {"Maven": 1}).status == coverage.NOT_CHECKED


def test_parsers_keep_components_without_purl():
    doc = parse(cdx([{"type": "library", "name": "log4j-core", "version": "2.14.1", "purl": LOG4J},
                     {"type": "library", "name": "vendored-zlib", "version": "1.2.13"}]))
    assert [c.purl for c in doc.components] == [LOG4J]
    assert doc.without_purl == 1 and doc.unusable == [("vendored-zlib", "1.2.13", "no_purl")]


def test_check_contract_empty_then_filled(tmp_path):
    doc = parse(cdx([{"type": "library", "name": "log4j-core", "version": "2.14.1", "purl": LOG4J},
                     {"type": "library", "name": "vendored-zlib", "version": "1.2.13"}]))
    with OsvStore(tmp_path / "osv.sqlite3") as store:
        empty = coverage.check(doc, store)
        assert empty["status"] == "not_checked" and empty["vulnerabilities"] == []
        assert empty["not_checked"] == [{"purl": LOG4J, "reason": "no vulnerability data for Maven"}]
        assert empty["database"] == {"records": 0, "ecosystems": {}, "imported_at": None}
        store.import_path(OSV_DIR)
        full = coverage.check(doc, store)
    assert full["status"] == "partial"  # log4j checked; the component without purl cannot be
    assert full["not_checked"] == [] and full["components"] == 1
    assert full["not_checkable"] == [{"name": "vendored-zlib", "version": "1.2.13", "reason": "no package URL"}]
    assert full["database"]["records"] == 16 and full["database"]["imported_at"]
    assert "GHSA-jfh8-c2jp-5v3q" in {v["id"] for v in full["vulnerabilities"]}


def _understating_zip(tmp_path, records: dict[str, bytes], lie_about: str):
    """A zip whose local and central headers claim ``lie_about`` holds 10 bytes (it holds more)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in records.items():
            zf.writestr(name, data)
    raw = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        info = zf.getinfo(lie_about)
    struct.pack_into("<I", raw, info.header_offset + 22, 10)  # local header: uncompressed size
    cd = raw.find(b"PK\x01\x02")
    while cd != -1:
        name_len = struct.unpack_from("<H", raw, cd + 28)[0]
        if raw[cd + 46:cd + 46 + name_len].decode() == lie_about:
            struct.pack_into("<I", raw, cd + 24, 10)  # central directory: uncompressed size
            break
        cd = raw.find(b"PK\x01\x02", cd + 4)
    path = tmp_path / "lying.zip"
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(lie_about).file_size == 10  # the header now understates the member
    return path


def test_zip_member_understating_its_size_is_a_clear_error_and_stores_nothing(tmp_path):
    records = {f"{p.stem}.json": p.read_bytes() for p in sorted(OSV_DIR.glob("*.json"))}
    path = _understating_zip(tmp_path, records, "GHSA-jfh8-c2jp-5v3q.json")
    with OsvStore(tmp_path / "osv.sqlite3") as store:
        with pytest.raises(ImportError_, match="GHSA-jfh8-c2jp-5v3q.json: the archive is damaged or truncated"):
            store.import_path(path)
        assert store.status()["records"] == 0  # the members read before it were rolled back
        assert store.status()["imported_at"] is None


def test_truncated_zip_and_strict_invalid_record_store_nothing(tmp_path):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(OSV_DIR.glob("*.json")):
            zf.writestr(p.name, p.read_bytes())
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("A.json", (OSV_DIR / "GHSA-jfh8-c2jp-5v3q.json").read_bytes())
        zf.writestr("B.json", b'{"id": "X", "modified": "2024-01-01T00:00:00Z", "affected": "no"')
    with OsvStore(tmp_path / "osv.sqlite3") as store:
        with pytest.raises(ImportError_, match="not a complete zip archive"):
            store.import_path(truncated)
        with pytest.raises(ImportError_, match="B.json"):
            store.import_path(bad, strict=True)
        assert store.status()["records"] == 0
        stats = store.import_path(bad)  # not strict (CLI): the invalid record is skipped and counted
        assert stats.added == 1 and stats.invalid == 1


def test_progress_and_database_status(tmp_path):
    seen = []
    path = tmp_path / "osv.sqlite3"
    assert database_status(path)["empty"] and not path.exists()  # reading the status creates nothing
    with OsvStore(path) as store:
        store.import_path(OSV_DIR, progress=lambda stats, ecos: seen.append((stats.read, ecos)))
    assert seen[-1][0] == 16 and {"Maven", "PyPI", "npm", "Go"} <= set(seen[-1][1])
    status = database_status(path)
    assert status["records"] == 16 and status["age_days"] == 0 and not status["stale"] and not status["empty"]
    from datetime import datetime, timedelta, timezone

    later = datetime.now(timezone.utc) + timedelta(days=8)
    assert database_status(path, now=later)["stale"]
