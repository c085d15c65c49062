"""OpenAPI audit: real-style documents of public APIs, every finding id with its JSON pointer, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendorvet.cli.main import main
from vendorvet.engine.openapi_audit import OpenAPIError, audit_file, parse

OPENAPI = Path(__file__).resolve().parent.parent / "fixtures" / "discovery" / "openapi"


def _by_id(result):
    return {f.check_id: f for f in result.findings}


def test_swagger_2_petstore():
    r = audit_file(OPENAPI / "petstore_swagger_2.0.json")
    f = _by_id(r)
    assert r.openapi_version == "2.0" and r.operations == 7
    assert f["openapi.oauth.implicit_flow"].status.value == "fail"
    assert f["openapi.oauth.implicit_flow"].evidence["pointer"] == "/securityDefinitions/petstore_auth"
    assert f["openapi.server.http"].evidence["pointer"] == "/schemes"
    assert set(f["openapi.auth.none"].evidence["pointers"]) == {"/paths/~1store~1order/post",
                                                                 "/paths/~1user~1login/get"}
    assert f["openapi.deprecated_operations"].evidence["pointers"] == ["/paths/~1pet~1findByTags/get"]
    assert f["openapi.ratelimit.undocumented"].status.value == "pass"  # X-Rate-Limit header on /user/login
    assert f["openapi.versioning.none"].status.value == "pass"  # basePath /v2


def test_openapi_3_0_yaml_stripe_style():
    f = _by_id(audit_file(OPENAPI / "payments_stripe_style_3.0.yaml"))
    assert f["openapi.auth.basic"].evidence["pointer"] == "/components/securitySchemes/basicAuth"
    assert f["openapi.auth.none"].evidence["pointers"] == ["/paths/~1v1~1checkout~1sessions~1{session}~1line_items/get"]
    assert f["openapi.ratelimit.undocumented"].status.value == "pass"  # 429 via $ref'd response
    assert f["openapi.server.http"].status.value == "pass"
    assert f["openapi.deprecated_operations"].evidence["pointers"] == ["/paths/~1v1~1recipients/get"]


def test_openapi_3_1_flows_scopes_query_keys_and_plain_http():
    f = _by_id(audit_file(OPENAPI / "identity_provider_3.1.json"))
    assert f["openapi.oauth.password_flow"].evidence["pointer"] == "/components/securitySchemes/oauth/flows/password"
    assert f["openapi.auth.apikey_in_query"].evidence["pointer"] == "/components/securitySchemes/legacyKey"
    assert f["openapi.server.http"].evidence["pointer"] == "/servers/1/url"
    assert set(f["openapi.oauth.broad_scopes"].evidence["scopes"]) == {"directory.admin", "Directory.ReadWrite.All"}
    assert f["openapi.auth.none"].evidence["pointers"] == ["/paths/~1health/get"]  # security: [{}] is optional auth
    assert f["openapi.deprecated_operations"].evidence["pointers"] == ["/paths/~1users~1{id}/delete"]
    assert f["openapi.versioning.none"].status.value == "pass"  # api-version query parameter


def test_unversioned_api_without_rate_limits():
    doc = parse(json.dumps({"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
                            "servers": [{"url": "https://api.example.test"}],
                            "paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}}}))
    from vendorvet.engine.openapi_audit import audit

    f = _by_id(audit(doc))
    assert f["openapi.ratelimit.undocumented"].status.value == "warn"
    assert f["openapi.ratelimit.undocumented"].evidence["pointer"] == "/paths"
    assert f["openapi.versioning.none"].status.value == "warn"
    assert f["openapi.auth.none"].status.value == "fail"


@pytest.mark.parametrize("name, message", [
    ("billion_laughs.yaml", "expands to more than"),
    ("ref_loop.yaml", "$ref loop"),
])
def test_hostile_documents_are_refused(name, message):
    with pytest.raises(OpenAPIError, match=message.replace("$", r"\$")):
        audit_file(OPENAPI / name)


def test_alias_count_limit(tmp_path):
    body = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\nx: &x [1]\nys: [" + ",".join(["*x"] * 10_050) + "]\n"
    path = tmp_path / "aliases.yaml"
    path.write_text(body)
    with pytest.raises(OpenAPIError, match="aliases"):
        audit_file(path)


def test_size_truncation_and_wrong_documents(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    with pytest.raises(OpenAPIError, match="larger than the limit of 10 MB"):
        audit_file(big, max_bytes=10 * 1024 * 1024)
    cut = tmp_path / "cut.json"
    cut.write_text((OPENAPI / "petstore_swagger_2.0.json").read_text()[:500])
    with pytest.raises(OpenAPIError, match="invalid or truncated JSON at line"):
        audit_file(cut)
    other = tmp_path / "compose.yaml"
    other.write_text("services:\n  web:\n    image: nginx\n")
    with pytest.raises(OpenAPIError, match="not an OpenAPI document"):
        audit_file(other)


def test_cli_json_shape_like_scan_and_fail_on(capsys):
    assert main(["openapi", "audit", str(OPENAPI / "payments_stripe_style_3.0.yaml"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] == 1 and len(doc["targets"]) == 1
    finding = doc["targets"][0]["findings"][0]
    assert set(finding) == {"check_id", "status", "severity", "title", "detail", "evidence"}
    ids = {f["check_id"] for f in doc["targets"][0]["findings"]}
    assert len(ids) == 11 and all(i.startswith("openapi.") for i in ids)
    assert main(["audit-openapi", str(OPENAPI / "petstore_swagger_2.0.json"), "--fail-on", "high"]) == 1
    assert "openapi.oauth.implicit_flow" in capsys.readouterr().out
    assert main(["openapi", "audit", str(OPENAPI / "ref_loop.yaml")]) == 1
    assert "$ref loop" in capsys.readouterr().err
