"""OpenAPI document and interactive docs: served, OpenAPI 3, filters documented, strict CSP."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from vendorvet.web.inventory import queries

pytestmark = pytest.mark.django_db

INTEGRATION_FILTERS = {"q", "status", "tier", "data_category", "department", "vendor", "kind", "ordering",
                       "page", "page_size"}


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.fixture
def schema():
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3(schema):
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "vendorvet API"
    for path in ("/api/inventory/integrations/", "/api/inventory/integrations/{id}/", "/api/inventory/vendors/",
                 "/api/inventory/contacts/", "/api/inventory/endpoints/", "/api/core/changes/", "/api/accounts/me/",
                 "/api/accounts/tokens/", "/api/accounts/tokens/{id}/revoke/"):
        assert path in schema["paths"], path
    assert "/api/docs/" not in schema["paths"]


def test_schema_documents_integration_filters(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/inventory/integrations/"]["get"]["parameters"]}
    assert INTEGRATION_FILTERS <= set(params)
    assert set(params["ordering"]["schema"]["enum"]) == set(queries.SORTS)
    assert "approved" in params["status"]["schema"]["enum"]
    assert params["tier"]["schema"]["enum"] == [1, 2, 3, 4]
    change_params = {p["name"] for p in schema["paths"]["/api/core/changes/"]["get"]["parameters"]}
    assert {"object_type", "object_id", "actor_kind"} <= change_params


def test_schema_describes_token_auth_and_hides_key_hash(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {**schemes["tokenAuth"], "type": "http", "scheme": "bearer"}
    assert "key_hash" not in repr(schema)
    integration = schema["components"]["schemas"]["Integration"]["properties"]
    assert integration["tier"]["readOnly"] is True and integration["endpoints"]["type"] == "array"
    assert "tenant" not in integration


def test_schema_as_yaml_by_default():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_api_root_redirects_to_docs():
    response = Client().get("/api/")
    assert response.status_code == 302 and response["Location"] == "/api/docs/"


def test_docs_page_loads_everything_from_this_server_with_strict_csp():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no inline script, no CDN
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    styles = policy["style-src"]
    assert styles[0] == "'self'" and len(styles) == 2 and styles[1].startswith("'sha256-")
    assert "<script>" not in html  # every script has a src
    script_srcs = re.findall(r'<script src="([^"]+)"', html)
    assert len(script_srcs) == 3
    assert all(src.startswith("/") and not src.startswith("//") for src in script_srcs)
    assert "cdn" not in html.lower() and "https://" not in html
    for src in script_srcs:
        asset = Client().get(src)
        assert asset.status_code == 200, src
        assert "javascript" in asset["Content-Type"]


def test_docs_style_hash_matches_the_inline_block():
    import base64
    import hashlib

    response = Client().get("/api/docs/")
    blocks = re.findall(rb"<style>(.*?)</style>", response.content, re.S)
    assert len(blocks) == 1
    digest = base64.b64encode(hashlib.sha256(blocks[0]).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]


def test_docs_relaxation_is_for_that_page_only(tenant_a, admin_a):
    from vendorvet.web.api.views.docs import policy_with_style_hashes
    from django.conf import settings

    other = Client().get("/api/schema/")
    assert other["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "sha256" not in Client().get("/api/docs/?script")["Content-Security-Policy"]
    assert policy_with_style_hashes("default-src 'self'; style-src 'self'", ["'sha256-x'"]) == (
        "default-src 'self'; style-src 'self' 'sha256-x'")


def test_docs_init_script_disables_the_public_validator():
    response = Client().get("/api/docs/?script")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert '"validatorUrl": null' in body
    assert '"/api/schema/"' in body


@pytest.mark.browser
def test_swagger_ui_renders_in_chromium_without_csp_violations(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.add_init_script(
                "window.__cspViolations = [];"
                "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
                "e.violatedDirective + ' ' + e.blockedURI));"
            )
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url)
                    and not r.url.startswith("data:") else None)
            # Swagger UI renders only the operations near the viewport: jump to the inventory tag (deep link)
            page.goto(f"{live_server.url}/api/docs/#/inventory")
            page.wait_for_selector("text=List integrations", timeout=20000)
            page.click("text=List integrations")
            page.wait_for_selector("text=data_category", timeout=10000)
            violations = page.evaluate("window.__cspViolations")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        finally:
            browser.close()
    assert violations == []
    assert outside == []
    assert background == "rgb(250, 250, 250)"  # the hashed inline style block applied


def test_every_endpoint_is_in_the_schema_without_generator_errors_or_name_clashes():
    """drf-spectacular silently drops views it cannot describe and merges same-named components;
    both would leave API users with a wrong document. Every feature app's routes must be in it, and the
    generator has nothing to warn about (no enum or operationId name collisions either)."""
    import io
    from contextlib import redirect_stderr

    from django.core.management import call_command

    err = io.StringIO()
    with redirect_stderr(err):
        call_command("spectacular", "--validate", "--file", "/dev/null")
    problems = [line for line in err.getvalue().splitlines()
                if "Error [" in line or "identical names" in line or "Warning" in line]
    assert problems == []
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for prefix in ("/api/inventory/integrations/", "/api/assessments/assessments/", "/api/scans/runs/",
                   "/api/discovery/", "/api/legal/transfer-check/", "/api/supplychain/", "/api/inventory/tier-policy/",
                   "/api/monitoring/events/", "/api/legal/transfer-assessments/"):
        assert any(path.startswith(prefix) for path in paths), prefix
