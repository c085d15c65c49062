"""OpenAPI audit on real-world shapes: versions where vendors really put them, credentials in query strings,
scopes described as granting everything, multi-file specs, zero-operation specs, the size cap and libyaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from vendorvet.cli.main import main
from vendorvet.engine import openapi_load
from vendorvet.engine.openapi_audit import OpenAPIError, audit, audit_file, parse

OPENAPI = Path(__file__).resolve().parent.parent / "fixtures" / "discovery" / "openapi"


def _by_id(result):
    return {f.check_id: f for f in result.findings}


def _spec(paths=None, servers=None, **extra):
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
           "servers": [{"url": u} for u in (servers or ["https://api.example.test"])],
           "security": [{"key": []}],
           "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
           "paths": paths if paths is not None else {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    doc.update(extra)
    return audit(parse(json.dumps(doc)))


def _ok(content=None):
    response = {"description": "ok"}
    if content:
        response["content"] = {content: {"schema": {"type": "object"}}}
    return {"get": {"responses": {"200": response}}}


@pytest.mark.parametrize("servers, paths", [
    (["https://api.vendor.example/1.0"], None),
    (["https://api.vendor.example/2.0/"], None),
    (["https://api.xero.example/api.xro/2.0"], None),
    (["https://api.vendor.example/2010-04-01/"], None),
    (["https://api.vendor.example/2026-09-beta"], None),
    (["https://api.vendor.example/v{version}/"], None),
    (["https://api.vendor.example/v3.1"], None),
    (None, {"/v{version}/items": _ok()}),
    (None, {"/2010-04-01/Accounts.json": _ok(), "/2010-04-01/Calls.json": _ok()}),
    (None, {"/v2/a": _ok(), "/v2/b": _ok(), "/v2/c": _ok(), "/v2/d": _ok(), "/feed.rss": _ok(), "/legacy": _ok()}),
    (None, {"/items": _ok("application/vnd.example+json;version=2")}),
    (None, {"/items": _ok("application/vnd.github.v3+json")}),
])
def test_versions_where_vendors_put_them(servers, paths):
    f = _by_id(_spec(paths=paths, servers=servers))
    assert f["openapi.versioning.none"].status.value == "pass"


@pytest.mark.parametrize("servers, paths", [
    (["https://api2.vendor.example/"], None),  # a digit in the host is no version
    (["https://api.vendor.example/service"], {"/items": _ok(), "/users": _ok()}),
    (None, {"/v2/a": _ok(), "/feed": _ok(), "/legacy": _ok(), "/other": _ok()}),  # three unversioned: not "most"
    (None, {"/items": _ok("application/vnd.example+json")}),
])
def test_unversioned_stays_unversioned(servers, paths):
    f = _by_id(_spec(paths=paths, servers=servers))
    assert f["openapi.versioning.none"].status.value == "warn"


def test_server_variable_named_version():
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/items": _ok()},
           "servers": [{"url": "https://api.example.test/{apiVersion}", "variables": {"apiVersion": {"default": "v1"}}}]}
    assert _by_id(audit(parse(json.dumps(doc))))["openapi.versioning.none"].status.value == "pass"


def test_zero_operations_get_no_versioning_or_rate_limit_verdict():
    f = _by_id(_spec(paths={}))
    for check_id in ("openapi.versioning.none", "openapi.ratelimit.undocumented"):
        assert f[check_id].status.value == "not_applicable"
        assert "no operations" in f[check_id].detail


def test_xero_style_version_broad_scope_text_and_unused_query_key():
    f = _by_id(audit_file(OPENAPI / "accounting_xero_style_3.0.yaml"))
    assert f["openapi.versioning.none"].status.value == "pass"
    # declared in the query but no operation uses it: nothing is sent in the URL
    assert f["openapi.auth.apikey_in_query"].status.value == "pass"
    assert f["openapi.oauth.broad_scopes"].status.value == "warn"
    assert f["openapi.oauth.broad_scopes"].evidence["scopes"] == ["offline_access"]
    assert f["openapi.auth.secret_in_query"].status.value == "pass"


def test_used_query_key_is_flagged():
    doc = {"security": [{"q": []}],
           "components": {"securitySchemes": {"q": {"type": "apiKey", "in": "query", "name": "api_key"}}}}
    f = _by_id(_spec(**doc))
    assert f["openapi.auth.apikey_in_query"].evidence["pointer"] == "/components/securitySchemes/q"


def test_twilio_style_dates_and_secrets_in_query():
    f = _by_id(audit_file(OPENAPI / "telephony_twilio_style_3.0.json"))
    assert f["openapi.versioning.none"].status.value == "pass"  # /2010-04-01/ in all but one path
    secret = f["openapi.auth.secret_in_query"]
    assert secret.status.value == "fail" and secret.severity.value == "medium"
    assert secret.evidence["parameters"] == ["client_secret", "refresh_token"]
    assert secret.evidence["pointers"] == ["/paths/~1oauth~1token/post/parameters/0",
                                           "/paths/~1oauth~1token/post/parameters/1"]


@pytest.mark.parametrize("name, location, flagged", [
    ("password", "query", True), ("token", "query", True), ("api_key", "query", True),
    ("client_secret", "query", True), ("access_token", "query", True),
    ("page_token", "query", False), ("password", "header", False), ("token_type", "query", False),
])
def test_secret_query_parameter_names(name, location, flagged):
    paths = {"/login": {"parameters": [{"name": name, "in": location, "schema": {"type": "string"}}],
                        **_ok()}}
    f = _by_id(_spec(paths=paths))
    assert (f["openapi.auth.secret_in_query"].status.value == "fail") is flagged
    if flagged:  # a path-level parameter is found at the path item
        assert f["openapi.auth.secret_in_query"].evidence["pointer"] == "/paths/~1login/parameters/0"


def test_multi_file_spec_is_read_inside_its_directory_only():
    r = audit_file(OPENAPI / "multifile" / "openapi.yaml")
    f = _by_id(r)
    assert r.operations == 5  # incidents get/post, incident get/delete, status get — not the outside file
    assert f["openapi.ratelimit.undocumented"].status.value == "pass"  # 429 in resources/incidents.yml
    assert f["openapi.deprecated_operations"].evidence["pointers"] == ["/paths/~1incidents/post"]
    assert set(f["openapi.auth.none"].evidence["pointers"]) == {"/paths/~1incidents~1{id}/delete",
                                                                "/paths/~1status/get"}
    warnings = "\n".join(r.warnings)
    assert "'../outside.yml'" in warnings and "outside the spec's directory" in warnings
    assert "'/etc/passwd'" in warnings and "absolute path" in warnings
    assert "https://example.com/remote.yml" in warnings and "never fetched" in warnings
    assert "resources/missing.yml" in warnings and "no such file" in warnings
    assert len(r.warnings) == 4
    assert r.as_dict()["warnings"] == r.warnings


def test_symlink_escape_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ops.yml").write_text("get: {responses: {'200': {description: ok}}}\n")
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "linked").symlink_to(outside)
    (spec / "openapi.yaml").write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
                                       "paths:\n  /x: {$ref: 'linked/ops.yml'}\n")
    r = audit_file(spec / "openapi.yaml")
    assert r.operations == 0 and "symbolic link" in r.warnings[0]


def test_text_documents_report_file_refs_as_unresolved():
    doc = parse("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /x: {$ref: 'a.yml'}\n")
    r = audit(doc)
    assert r.operations == 0 and "not read from a file" in r.warnings[0]


def test_referenced_files_count_against_the_size_cap(tmp_path):
    (tmp_path / "big.yml").write_text("get: {responses: {'200': {description: '" + "x" * 5000 + "'}}}\n")
    (tmp_path / "openapi.yaml").write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
                                           "paths:\n  /x: {$ref: 'big.yml'}\n")
    assert audit_file(tmp_path / "openapi.yaml").operations == 1
    r = audit_file(tmp_path / "openapi.yaml", max_bytes=2000)
    assert r.operations == 0 and "larger than the limit" in r.warnings[0]


def test_size_cap_setting_and_flag(tmp_path, monkeypatch, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text((OPENAPI / "petstore_swagger_2.0.json").read_text())
    monkeypatch.setenv("VENDORVET_OPENAPI_MAX_BYTES", "1K")
    with pytest.raises(OpenAPIError, match="larger than the limit of 1,024 bytes"):
        audit_file(spec)
    assert main(["openapi", "audit", str(spec)]) == 1
    assert "VENDORVET_OPENAPI_MAX_BYTES" in capsys.readouterr().err
    assert main(["openapi", "audit", str(spec), "--max-bytes", "1M"]) == 0
    assert main(["openapi", "audit", str(spec), "--max-bytes", "lots"]) == 2
    assert "not a size" in capsys.readouterr().err
    monkeypatch.delenv("VENDORVET_OPENAPI_MAX_BYTES")
    assert openapi_load.default_max_bytes() == 32 * 1024 * 1024


def test_yaml_limits_hold_for_both_loaders(monkeypatch, tmp_path):
    assert openapi_load.CLoader is getattr(yaml, "CSafeLoader", None)
    body = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\nx: &x [1]\nys: [" + ",".join(["*x"] * 10_050) + "]\n"
    laughs = (OPENAPI / "billion_laughs.yaml").read_text()
    for loader in {openapi_load.CLoader, None}:
        monkeypatch.setattr(openapi_load, "CLoader", loader)
        with pytest.raises(OpenAPIError, match="aliases"):
            parse(body)
        with pytest.raises(OpenAPIError, match="expands to more than"):
            parse(laughs)
        with pytest.raises(OpenAPIError, match="expands to more than"):
            parse("openapi: 3.0.0\nx: &a [*a]\n")

    # python objects are never constructed from tags: refused (PyYAML) or read as plain data (yaml_rs)
    for loader in {openapi_load.CLoader, None}:
        monkeypatch.setattr(openapi_load, "CLoader", loader)
        for fast in {openapi_load.fast_yaml, None}:
            monkeypatch.setattr(openapi_load, "fast_yaml", fast)
            try:
                doc = parse("openapi: 3.0.0\nx: !!python/object/apply:os.system ['true']\n")
            except OpenAPIError as exc:
                assert "invalid or truncated YAML" in str(exc)
            else:
                assert doc["x"] == ["true"]


def test_yaml_without_anchors_reads_the_same_with_either_parser(monkeypatch):
    text = (OPENAPI / "accounting_xero_style_3.0.yaml").read_text()
    assert not openapi_load.may_expand(text) and openapi_load.may_expand("a: &x [1]\nb: *x\n")
    fast = parse(text)
    monkeypatch.setattr(openapi_load, "fast_yaml", None)
    assert parse(text) == fast
