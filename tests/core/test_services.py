"""The write path every interface uses: role check, full validation incl. per-tenant uniqueness."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vendorvet.web.core.context import Actor, PermissionDeniedError, tenant_session
from vendorvet.web.inventory import services
from vendorvet.web.inventory.models import Integration, Vendor

pytestmark = pytest.mark.django_db


def test_duplicate_vendor_name_is_a_validation_error_not_a_database_error(tenant_a, make_vendor):
    make_vendor(tenant_a, name="Acme Cloud Inc.")
    with tenant_session(tenant_a, Actor.system()):
        with pytest.raises(ValidationError) as excinfo:
            services.save_object(Vendor(name="Acme Cloud Inc."))
        assert "name" in str(excinfo.value) or "__all__" in excinfo.value.message_dict
        assert Vendor.objects.count() == 1


def test_same_vendor_name_is_fine_in_another_tenant(tenant_a, tenant_b, make_vendor):
    make_vendor(tenant_a, name="Acme Cloud Inc.")
    with tenant_session(tenant_b, Actor.system()):
        services.save_object(Vendor(name="Acme Cloud Inc.", country="DE"))
        assert Vendor.objects.count() == 1


@pytest.mark.parametrize(("role", "allowed"), [("auditor", False), ("assessor", True), ("admin", True)])
def test_roles_on_create(tenant_a, role, allowed):
    with tenant_session(tenant_a, Actor(kind="cli", label="x", role=role)):
        vendor = Vendor(name="Neu GmbH", country="DE")
        if allowed:
            services.save_object(vendor)
            assert Vendor.objects.filter(name="Neu GmbH").exists()
        else:
            with pytest.raises(PermissionDeniedError):
                services.save_object(vendor)
            assert not Vendor.objects.filter(name="Neu GmbH").exists()


def test_assessor_cannot_delete(tenant_a, make_integration):
    integration = make_integration(tenant_a)
    with tenant_session(tenant_a, Actor(kind="user", label="x", role="assessor")):
        with pytest.raises(PermissionDeniedError):
            services.delete_object(Integration.objects.get(pk=integration.pk))
        assert Integration.objects.filter(pk=integration.pk).exists()


def test_set_endpoints_validates_and_syncs(tenant_a, make_integration):
    integration = make_integration(tenant_a)
    with tenant_session(tenant_a, Actor.system()):
        services.set_endpoints(integration, ["https://api.acme.example/v1", "https://api.acme.example/v1 ", ""])
        assert list(integration.endpoints.values_list("url", flat=True)) == ["https://api.acme.example/v1"]
        with pytest.raises(ValidationError):
            services.set_endpoints(integration, ["ftp://files.acme.example/", "https://ok.example/"])
        services.set_endpoints(integration, ["https://eu.acme.example/"])
        assert list(integration.endpoints.values_list("url", flat=True)) == ["https://eu.acme.example/"]


def test_invalid_integration_values_are_rejected(tenant_a, make_vendor):
    vendor = make_vendor(tenant_a)
    with tenant_session(tenant_a, Actor.system()):
        bad = Integration(vendor=vendor, name="X", data_categories=["personal", "gossip"], processing_countries=["ZZ"])
        with pytest.raises(ValidationError) as excinfo:
            services.save_object(bad)
        assert {"data_categories", "processing_countries"} <= set(excinfo.value.message_dict)
        mixed = Integration(vendor=vendor, name="Y", data_categories=["none", "personal"])
        with pytest.raises(ValidationError):
            services.save_object(mixed)
        assert not Integration.objects.exists()
