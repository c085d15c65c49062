"""One nesting bound for every JSON importer: 100,000 levels are a clear refusal, never a RecursionError."""

from __future__ import annotations

import json

import pytest

from vendorvet.engine import jsondepth
from vendorvet.engine.discovery import DiscoveryInputError, parse_files
from vendorvet.engine.openapi_audit import OpenAPIError
from vendorvet.engine.openapi_audit import parse as parse_openapi
from vendorvet.engine.supplychain.sbom import SbomError
from vendorvet.engine.supplychain.sbom import parse as parse_sbom
from vendorvet.engine.supplychain.store import OsvStore

DEEP = 100_000


def deep(prefix: str = "", suffix: str = "", opener: str = "[", closer: str = "]") -> str:
    return prefix + opener * DEEP + closer * DEEP + suffix


def test_guard_counts_brackets_outside_strings_only():
    assert jsondepth.loads('{"a": "' + "[" * 5000 + '"}') == {"a": "[" * 5000}
    assert jsondepth.loads("[" * 200 + "]" * 200)
    with pytest.raises(jsondepth.TooDeeplyNested, match="too deeply nested .more than 200 levels"):
        jsondepth.loads("[" * 201 + "]" * 201)
    with pytest.raises(jsondepth.TooDeeplyNested):
        jsondepth.loads(deep().encode())
    assert jsondepth.too_deep_at('{"a": 1} ' + deep(), one_value=True) is None  # stops after the first value


def test_discovery_json_export(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(deep('{"items": [{"events": ', "}]}"))
    with pytest.raises(DiscoveryInputError, match="too deeply nested") as caught:
        parse_files("google_tokens", [path])
    assert caught.value.code == "too_deep"


def test_sbom_json():
    with pytest.raises(SbomError, match="too deeply nested"):
        parse_sbom(deep('{"bomFormat": "CycloneDX", "x": ', "}").encode())


@pytest.mark.parametrize("text", [deep('{"openapi": "3.0.0", "x": ', "}"), deep("openapi: 3.0.0\nx: ")])
def test_openapi_json_and_yaml(text):
    with pytest.raises(OpenAPIError, match="too deeply nested"):
        parse_openapi(text, "api.json")


def test_osv_record_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "deep.json").write_text(deep('{"id": "X", "affected": ', "}"))
    (tmp_path / "ok.json").write_text(json.dumps({"id": "GHSA-ok", "modified": "2024-01-01T00:00:00Z"}))
    with OsvStore(tmp_path / "osv.sqlite3") as store:
        stats = store.import_path(tmp_path)
    assert stats.invalid >= 1 and any("too deeply nested" in e for e in stats.errors)


@pytest.mark.parametrize("name, text", [("api.json", deep('{"openapi": "3.0.0", "x": ', "}")),
                                        ("api.yaml", deep("openapi: 3.0.0\nx: "))])
def test_openapi_cli_exits_non_zero_with_the_reason(tmp_path, capsys, name, text):
    from vendorvet.cli.main import main

    path = tmp_path / name
    path.write_text(text)
    assert main(["openapi", "audit", str(path)]) != 0
    assert "too deeply nested" in capsys.readouterr().err


def test_osv_cli_names_the_skipped_record(tmp_path, capsys):
    from vendorvet.cli.main import main

    (tmp_path / "deep.json").write_text(deep('{"id": "X", "affected": ', "}"))
    assert main(["osv", "import", str(tmp_path), "--db", str(tmp_path / "osv.sqlite3"), "--no-rematch"]) == 0
    captured = capsys.readouterr()
    assert "1 invalid" in captured.out and "too deeply nested" in captured.err
