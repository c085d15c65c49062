import copy
import json
import zipfile

import pytest

from vendorvet.engine.supplychain.match import match_all
from vendorvet.engine.supplychain.store import ImportError_, OsvStore

from .conftest import OSV_DIR, load_record


def test_import_directory_and_status(osv_store):
    status = osv_store.status()
    assert status["records"] == 16
    assert status["withdrawn"] == 1
    assert status["ecosystems"]["PyPI"] == 5
    assert status["last_import"]


def test_import_all_zip_streams_members(tmp_path):
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in OSV_DIR.glob("*.json"):
            zf.write(path, path.name)
        zf.writestr("broken.json", "{not json")
        zf.writestr("noid.json", json.dumps({"modified": "2024-01-01T00:00:00Z"}))
    with OsvStore(tmp_path / "db.sqlite3") as store:
        stats = store.import_path(archive)
        assert (stats.added, stats.invalid) == (16, 2)
        assert any("broken.json" in e for e in stats.errors)
        assert store.record("GHSA-jfh8-c2jp-5v3q")["aliases"] == ["CVE-2021-44228"]


def test_incremental_update_replaces_newer_and_keeps_older(osv_store):
    rec = load_record("GHSA-35jh-r3h4-6jhm")
    newer = copy.deepcopy(rec)
    newer["modified"] = "2025-06-01T00:00:00Z"
    newer["affected"][0]["ranges"][0]["events"][1]["fixed"] = "4.17.22"
    older = copy.deepcopy(rec)
    older["modified"] = "2020-01-01T00:00:00Z"
    older["affected"][0]["ranges"][0]["events"][1]["fixed"] = "1.0.0"
    stats = osv_store.import_records([newer])
    assert (stats.added, stats.replaced) == (0, 1)
    stats = osv_store.import_records([older, rec])
    assert stats.unchanged == 2
    (f,) = match_all(osv_store, ["pkg:npm/lodash@4.17.21"])
    assert f.fixed_versions == ["4.17.22"]
    assert osv_store.status()["records"] == 16


def test_withdrawing_a_record_by_update(osv_store):
    assert match_all(osv_store, ["pkg:npm/lodash@4.17.20"])
    rec = load_record("GHSA-35jh-r3h4-6jhm")
    rec["modified"] = "2025-06-01T00:00:00Z"
    rec["withdrawn"] = "2025-06-01T00:00:00Z"
    osv_store.import_records([rec])
    assert match_all(osv_store, ["pkg:npm/lodash@4.17.20"]) == []


def test_renamed_package_is_reindexed(osv_store):
    rec = load_record("SYNTH-2026-0004")
    rec["modified"] = "2027-01-01T00:00:00Z"
    rec["affected"][0]["package"]["name"] = "synth-list-renamed"
    osv_store.import_records([rec])
    assert match_all(osv_store, ["pkg:cargo/synth-list@0.3.1"]) == []
    assert [f.id for f in match_all(osv_store, ["pkg:cargo/synth-list-renamed@0.3.1"])] == ["SYNTH-2026-0004"]


def test_missing_source_is_a_clear_error(tmp_path):
    with OsvStore(tmp_path / "db.sqlite3") as store, pytest.raises(ImportError_, match="no such file"):
        store.import_path(tmp_path / "nope.zip")


def test_pypi_names_are_normalised(osv_store):
    ids = sorted(f.id for f in match_all(osv_store, ["pkg:pypi/Jinja2@3.1.2"]))
    assert ids == ["GHSA-h5c8-rqwp-cp95", "GHSA-h75v-3vvj-5mfj"]
