"""Every list filter validates its ids: malformed or too large → 400 with a clear message, never 500.

The sweep walks the URL resolver, so a list added later is covered without anyone writing a test for it:
every list endpoint gets every id-like parameter at once with values the database cannot take
(``99999999999999999999999`` raised ``OverflowError`` on SQLite → HTTP 500 on several lists before).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.api.conftest import issue
from tests.conftest import acting
from vendorvet.web.api.filtersets import ID_MESSAGE

pytestmark = pytest.mark.django_db

BAD_IDS = ["99999999999999999999999", "9223372036854775808", "abc", "-1", "0", "1.5", "１２", "1e3", "9" * 5000]
# every id-like query parameter any list reads, documented or not (an undocumented one must not 500 either)
ID_NAMES = ("integration", "vendor", "run", "sbom", "object_id", "assessment", "against", "contact", "endpoint",
            "user", "token", "import", "app")


def _list_paths() -> list[str]:
    """Every API list route the URL resolver knows (router ``*-list`` names), as request paths."""
    found = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern).lstrip("^").rstrip("$")
            if isinstance(p, URLResolver):
                walk(p, route)
            elif isinstance(p, URLPattern) and (p.name or "").endswith("-list") and "(?P<" not in route:
                found.append("/" + route)

    walk(get_resolver(), "")
    return sorted(path for path in found if path.startswith("/api/"))


def _integer_query_params() -> dict[str, set[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = {}
    for path, operations in schema["paths"].items():
        params = (operations.get("get") or {}).get("parameters", [])
        out[path] = {p["name"] for p in params if p["in"] == "query" and p["schema"].get("type") == "integer"
                     and "enum" not in p["schema"] and p["name"] not in ("page", "page_size")}
    return out


@pytest.fixture
def admin_client(tenant_a, admin_a):
    _token, key = issue(tenant_a, admin_a)
    client = APIClient(raise_request_exception=False)  # a 500 must show up as a status code, not abort the sweep
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_sweep_sees_every_list(admin_client):
    paths = _list_paths()
    for expected in ("/api/inventory/integrations/", "/api/core/changes/", "/api/scans/findings/",
                     "/api/monitoring/events/", "/api/supplychain/findings/", "/api/legal/transfer-assessments/",
                     "/api/assessments/certifications/", "/api/discovery/openapi-audits/",
                     "/api/integrations/", "/api/legal/assessments/"):  # the deprecated aliases too
        assert expected in paths
    assert len(paths) >= 35


def test_every_list_rejects_malformed_and_oversized_ids_with_400(admin_client, tenant_a, make_integration):
    make_integration(tenant_a, name="Personio")
    documented = _integer_query_params()
    checked = set()
    failures = []
    for path in _list_paths():
        expected = documented.get(path, set())
        for bad in BAD_IDS:
            response = admin_client.get(path, {name: bad for name in ID_NAMES})
            if response.status_code >= 500:
                failures.append((path, bad, response.status_code))
                continue
            if not expected:
                if response.status_code not in (200, 405):  # 405: a POST-only resource such as transfer-check
                    failures.append((path, bad, response.status_code, "no id filter, but not 200"))
                continue
            body = response.json()
            if response.status_code != 400 or not expected <= set(body):
                failures.append((path, bad, response.status_code, body))
                continue
            for name in expected:
                assert body[name] == [str(ID_MESSAGE)], (path, name, body)
                checked.add((path, name))
    assert failures == [], '\n'.join(map(repr, failures))
    # the sweep has teeth: these filters were among the ones answering 500 or ignoring bad ids before
    for pair in (("/api/inventory/integrations/", "vendor"), ("/api/inventory/endpoints/", "integration"),
                 ("/api/core/changes/", "object_id"), ("/api/assessments/assessments/", "integration"),
                 ("/api/assessments/certifications/", "vendor"), ("/api/scans/findings/", "run"),
                 ("/api/monitoring/events/", "integration"), ("/api/legal/contracts/", "vendor"),
                 ("/api/legal/transfer-assessments/", "integration"), ("/api/supplychain/findings/", "sbom"),
                 ("/api/supplychain/sboms/", "integration"), ("/api/discovery/openapi-audits/", "integration"),
                 ("/api/monitoring-events/", "integration")):
        assert pair in checked, pair


def test_valid_and_largest_ids_still_filter(admin_client, tenant_a, make_integration):
    integration = make_integration(tenant_a, name="Personio")
    for path in ("/api/inventory/endpoints/", "/api/scans/runs/", "/api/monitoring/events/",
                 "/api/legal/transfer-assessments/", "/api/supplychain/sboms/"):
        assert admin_client.get(path, {"integration": str(2**63 - 1)}).json()["results"] == [], path
        assert admin_client.get(path, {"integration": f" {integration.pk} "}).status_code == 200, path
    listed = admin_client.get("/api/inventory/integrations/", {"vendor": integration.vendor_id}).json()["results"]
    assert [row["name"] for row in listed] == ["Personio"]
    assert admin_client.get("/api/inventory/integrations/", {"vendor": ""}).status_code == 200  # empty = no filter


def test_id_message_is_translated(admin_client):
    response = admin_client.get("/api/inventory/integrations/", {"vendor": "x"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert response.json()["vendor"][0].startswith("Erwartet")


def test_other_bad_filter_values_are_400_too(admin_client):
    for path, params in (("/api/assessments/assessments/", {"status": "finished"}),
                         ("/api/assessments/certifications/", {"state": "soon"}),
                         ("/api/scans/findings/", {"status": "bad"}), ("/api/monitoring/events/", {"kind": "nope"}),
                         ("/api/discovery/apps/", {"risk": "extreme"}), ("/api/core/changes/", {"actor_kind": "x"}),
                         ("/api/inventory/integrations/", {"ordering": "price"})):
        response = admin_client.get(path, params)
        assert response.status_code == 400, (path, response.content)
        assert set(response.json()) == set(params), (path, response.json())


def test_ids_outside_list_filters_are_validated(admin_client, tenant_a, make_integration):
    """The same rule for ids in request bodies and in action parameters."""
    huge = "99999999999999999999999"
    integration = make_integration(tenant_a, name="Personio")
    response = admin_client.post("/api/assessments/assessments/", {"integration": huge}, format="json")
    assert response.status_code == 400 and "integration" in response.json()
    response = admin_client.post("/api/scans/runs/", {"integration": huge}, format="json")
    assert response.status_code == 400 and "integration" in response.json()
    from vendorvet.web.supplychain.models import SbomVersion

    with acting(tenant_a):
        sbom = SbomVersion.objects.create(integration=integration, label="1.0", format="cyclonedx",
                                          spec_version="1.5", document_name="x", filename="x.json", sha256="0" * 64)
    response = admin_client.get(f"/api/supplychain/sboms/{sbom.pk}/diff/", {"against": huge})
    assert response.status_code == 400 and response.json() == {"against": [str(ID_MESSAGE)]}
