"""Every tenant-owned object is invisible and untouchable across tenants, on every route that takes its id, web
and API; every model that holds tenant data derives from the tenant-owned base."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, acting
from tests.contract.factory import build_world, tenant_owned_models
from tests.contract.tenants import cross_tenant_failures, id_routes, own_tenant_failures
from vendorvet.web.accounts.models import APIToken, Tenant
from vendorvet.web.core.models import TenantOwnedModel

pytestmark = pytest.mark.django_db

# Models that hold tenant data but are not TenantOwnedModel, and why.
NOT_TENANT_OWNED = {
    "core.ObjectChange": "the change history itself: append-only, tenant-scoped managers, written by the base",
    "vv_mfa.TenantMfaPolicy": "one row per tenant, read and written only for the active tenant by the 2FA settings "
                              "page (tests/web/test_mfa.py); its changes go to the security audit log",
    "vv_sso.SsoProvider": "the operator's per-tenant single sign-on configuration, deliberately outside the tenant's "
                          "reach: only superusers (Django admin, `vendorvet sso`) read or change it",
}


def clients(tenant, user):
    web = Client(raise_request_exception=False)  # a crash is reported as HTTP 500 among the other failures
    assert web.login(username=user.username, password=PASSWORD)
    with acting(tenant, user):
        _token, key = APIToken.issue(user, "contract")
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return web, api


@pytest.fixture
def world_b(tenant_a, tenant_b, admin_a, admin_b):
    return build_world(tenant_b, admin_b)


def test_every_id_route_answers_404_across_tenants(world_b, tenant_a, admin_a):
    web, api = clients(tenant_a, admin_a)
    assert cross_tenant_failures(web, api, world_b) == []


@override_settings(ROOT_URLCONF="tests.contract.unguarded_urls")
def test_a_view_that_looks_up_across_tenants_is_reported_without_a_test_of_its_own(world_b, tenant_a, admin_a):
    web, api = clients(tenant_a, admin_a)
    failures = cross_tenant_failures(web, api, world_b)
    assert len(failures) == 1 and failures[0].startswith("contract_probe_leak "), failures


def test_the_owning_tenant_reaches_the_same_routes(world_b, tenant_b, admin_b):
    web, api = clients(tenant_b, admin_b)
    assert own_tenant_failures(web, api, world_b) == []


def test_the_contract_covers_every_model_with_web_or_api_routes():
    routes, unknown = id_routes()
    assert unknown == []
    assert len(routes) > 60
    covered = {route.name for route in routes}
    assert {"inventory:integration_edit", "api:inventory-contact-detail", "legal:contract_delete", "scans:scan_now"} <= covered


def test_every_model_with_tenant_data_derives_from_the_tenant_base():
    tenant_model = Tenant
    owned = set(tenant_owned_models())
    wrong = []
    for model in apps.get_models():
        if model in owned or model._meta.label in NOT_TENANT_OWNED:
            continue
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if field.is_relation and not field.auto_created and (target is tenant_model or target in owned):
                wrong.append(f"{model._meta.label}.{field.name} -> {target._meta.label}")
    assert wrong == []


def test_the_base_check_sees_a_model_outside_the_base():
    """The model check is not vacuous: the history (the one named exception) is caught without its entry."""
    tenant_model = Tenant
    from vendorvet.web.core.models import ObjectChange

    assert any(getattr(f, "related_model", None) is tenant_model for f in ObjectChange._meta.get_fields())
    assert not issubclass(ObjectChange, TenantOwnedModel)
