"""One URL scheme from the registry (/api/<app>/<resource>/) and the deprecated aliases of the old paths."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from email.utils import parsedate_to_datetime

import pytest
from django.urls import clear_url_caches, resolve
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from tests.conftest import acting
from vendorvet.web.api import routes
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.core.registry import registry

pytestmark = pytest.mark.django_db

# old path -> new path (each old path still answers, deprecated)
RENAMED = {
    "/api/integrations/": "/api/inventory/integrations/",
    "/api/vendors/": "/api/inventory/vendors/",
    "/api/contacts/": "/api/inventory/contacts/",
    "/api/endpoints/": "/api/inventory/endpoints/",
    "/api/tier-policy/": "/api/inventory/tier-policy/",
    "/api/me/": "/api/accounts/me/",
    "/api/tokens/": "/api/accounts/tokens/",
    "/api/changes/": "/api/core/changes/",
    "/api/assessments/": "/api/assessments/assessments/",
    "/api/certifications/": "/api/assessments/certifications/",
    "/api/scan-runs/": "/api/scans/runs/",
    "/api/scan-findings/": "/api/scans/findings/",
    "/api/legal/assessments/": "/api/legal/transfer-assessments/",
    "/api/legal/tias/": "/api/legal/transfer-impact-assessments/",
    "/api/monitoring-events/": "/api/monitoring/events/",
    "/api/alert-rules/": "/api/monitoring/alert-rules/",
    "/api/scan-checks/": "/api/scans/checks/",
}


def _current(path: str) -> bool:
    """``/api/<app>/<resource>/…`` of a registered app and one of its resources."""
    parts = path.split("/")
    routes = registry.api_routes.get(parts[2]) if len(parts) > 3 else None
    return routes is not None and any(
        path.startswith(f"/api/{routes.app}/{r.path}/") for r in routes.resources)


@pytest.fixture
def admin_client(tenant_a, admin_a, api_as):
    return api_as(tenant_a, admin_a)


@pytest.fixture
def world(tenant_a, make_integration):
    integration = make_integration(tenant_a, name="Personio")
    from vendorvet.web.inventory.models import Endpoint

    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url="https://api.personio.example")
    return integration


def _deprecation_headers_ok(response, successor: str) -> None:
    assert re.fullmatch(r"@\d+", response["Deprecation"]), response["Deprecation"]  # RFC 9745: @<unix time>
    assert int(response["Deprecation"][1:]) == int(routes.DEPRECATED_ON.timestamp())
    sunset = parsedate_to_datetime(response["Sunset"])  # RFC 8594: an HTTP-date after the deprecation
    assert sunset > dt.datetime.fromtimestamp(int(response["Deprecation"][1:]), dt.timezone.utc)
    assert response["Link"] == f'<{successor}>; rel="successor-version"'


def test_every_registered_app_is_served_under_its_own_prefix():
    assert {"inventory", "accounts", "core", "assessments", "scans", "discovery", "legal", "monitoring",
            "supplychain"} <= set(registry.api_routes.keys())
    for app, api_routes in registry.api_routes.items():
        assert api_routes.app == app
        for resource in api_routes.resources:
            assert re.fullmatch(r"[a-z][a-z-]*", resource.path), resource.path
            match = resolve(f"/api/{app}/{resource.path}/")
            assert match.func.cls is resource.view or issubclass(match.func.cls, resource.view)
            assert not issubclass(match.func.cls, routes.DeprecatedAlias)


def test_web_api_urls_import_no_feature_app():
    import ast
    from pathlib import Path

    import vendorvet.web.api.urls as urls

    tree = ast.parse(Path(urls.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    feature = ("assessments", "scans", "discovery", "legal", "monitoring", "supplychain")
    assert not [m for m in imported if any(m.startswith(f"vendorvet.web.{app}") for app in feature)]
    assert "importlib" not in imported


@pytest.mark.parametrize("old,new", sorted(RENAMED.items()))
def test_old_list_paths_answer_the_same_with_deprecation_headers(old, new, world, admin_client):
    fresh = admin_client.get(new)
    aliased = admin_client.get(old + "?page=1")
    assert fresh.status_code == aliased.status_code == 200, (fresh.content, aliased.content)
    assert aliased.json() == fresh.json()
    _deprecation_headers_ok(aliased, new + "?page=1")
    for header in ("Deprecation", "Sunset", "Link"):
        assert header not in fresh


def test_old_detail_and_action_paths_work_and_point_to_their_successor(world, admin_client, tenant_a, admin_a,
                                                                       token_for):
    response = admin_client.get(f"/api/integrations/{world.pk}/")
    assert response.status_code == 200 and response.json()["name"] == "Personio"
    _deprecation_headers_ok(response, f"/api/inventory/integrations/{world.pk}/")
    assert response.json() == admin_client.get(f"/api/inventory/integrations/{world.pk}/").json()
    # writes through an old path still work, and say where to go instead
    created = admin_client.post("/api/vendors/", {"name": "Wolke Sieben GmbH", "country": "DE"}, format="json")
    assert created.status_code == 201, created.content
    _deprecation_headers_ok(created, "/api/inventory/vendors/")
    token, _key = token_for(tenant_a, admin_a, name="ci")
    revoked = admin_client.post(f"/api/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked"] is not None
    _deprecation_headers_ok(revoked, f"/api/accounts/tokens/{token.pk}/revoke/")
    # the query string is kept, and cannot break out of the header's <…>
    odd = admin_client.get('/api/integrations/?q=a>b"c')
    assert odd.status_code == 200
    _deprecation_headers_ok(odd, "/api/inventory/integrations/?q=a%3Eb%22c")
    # errors carry the headers too: the client learns about the move whatever it asked
    missing = admin_client.get("/api/integrations/999999/")
    assert missing.status_code == 404
    _deprecation_headers_ok(missing, "/api/inventory/integrations/999999/")


def test_old_assessments_path_does_not_shadow_the_new_ones(world, admin_client):
    started = admin_client.post("/api/assessments/assessments/", {"integration": world.pk}, format="json")
    assert started.status_code == 201, started.content
    pk = started.json()["id"]
    old = admin_client.get(f"/api/assessments/{pk}/")
    assert old.status_code == 200 and old.json()["id"] == pk and "Deprecation" in old
    # /api/assessments/certifications/ is the register, not "the assessment with id certifications"
    register = admin_client.get("/api/assessments/certifications/")
    assert register.status_code == 200 and "Deprecation" not in register
    assert admin_client.get("/api/legal/transfer-assessments/").status_code == 200


def test_schema_marks_old_paths_deprecated_and_new_ones_not():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    operation_ids = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            operation_ids.append(operation["operationId"])
            old = any(path.startswith(prefix) for prefix in RENAMED)
            new = _current(path)
            if old and not new:
                assert operation.get("deprecated") is True, (path, method)
                assert operation["tags"] == [routes.DEPRECATED_TAG]
            else:
                assert not operation.get("deprecated"), (path, method)
                app = path.split("/")[2]
                assert app in registry.api_routes, path  # every current path is /api/<registered app>/…
    assert len(operation_ids) == len(set(operation_ids))


class _EchoSerializer(serializers.Serializer):
    answer = serializers.IntegerField()


class _TestOnlyViewSet(TenantContextMixin, viewsets.ViewSet):
    required_permissions = {"list": "view"}
    serializer_class = _EchoSerializer

    def list(self, request):
        return Response({"answer": 42})


@pytest.fixture
def rebuilt_urls():
    """Rebuild the URL map from the registry (as at start-up) for the test, and again afterwards."""
    import vendorvet.web.api.urls as api_urls
    import vendorvet.web.urls as root_urls

    def rebuild():
        importlib.reload(api_urls)
        importlib.reload(root_urls)
        clear_url_caches()

    yield rebuild
    rebuild()


def test_a_route_registered_by_an_app_appears_in_the_url_map_and_schema(rebuilt_urls, tenant_a, admin_a, api_as):
    from drf_spectacular.generators import SchemaGenerator

    entry = routes.ApiRoutes("testonly", (routes.Resource("answers", _TestOnlyViewSet, "testonly-answer",
                                                          old_paths=("answers",)),))
    with registry.api_routes.temporarily("testonly", entry):
        rebuilt_urls()
        client = api_as(tenant_a, admin_a)
        assert client.get("/api/testonly/answers/").json() == {"answer": 42}
        old = client.get("/api/answers/")
        assert old.json() == {"answer": 42}
        _deprecation_headers_ok(old, "/api/testonly/answers/")
        paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
        assert "/api/testonly/answers/" in paths and paths["/api/answers/"]["get"]["deprecated"] is True
    rebuilt_urls()
    assert client.get("/api/testonly/answers/").status_code == 404
