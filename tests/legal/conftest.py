"""Fixtures for the legal app: web login and API clients, and a small inventory with legal facts."""

from __future__ import annotations

import pytest

from tests.api.conftest import anon_api, api_as, token_for  # noqa: F401
from tests.conftest import acting
from tests.web.conftest import login  # noqa: F401


@pytest.fixture
def legal_a(tenant_a, make_vendor):
    """Tenant A: a US vendor, a German vendor with a US parent, an integration each."""
    from vendorvet.web.inventory.models import Integration

    acme = make_vendor(tenant_a, "Acme Cloud Inc.", country="US")
    hosting = make_vendor(tenant_a, "Berlin Hosting GmbH", country="DE")
    with acting(tenant_a):
        crm = Integration.objects.create(name="Acme CRM", vendor=acme, data_categories=["personal"],
                                         data_subjects=["customers"], purpose="Customer relationship management",
                                         processing_countries=["US"], department="Sales")
        hr = Integration.objects.create(name="HR Cloud", vendor=hosting, data_categories=["personal", "health"],
                                        data_subjects=["employees"], purpose="Personnel files",
                                        processing_countries=["DE"])
    return {"acme": acme, "hosting": hosting, "crm": crm, "hr": hr}


@pytest.fixture
def legal_b(tenant_b, make_vendor):
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.legal.models import Contract, SubProcessor

    vendor = make_vendor(tenant_b, "Geheim Vendor GmbH", country="DE")
    with acting(tenant_b):
        integration = Integration.objects.create(name="Secret Fleet Tracker", vendor=vendor,
                                                 data_categories=["personal"], purpose="Secret purpose B")
        sub = SubProcessor.objects.create(vendor=vendor, name="Hidden Sub Ltd", country="IN")
        contract = Contract.objects.create(vendor=vendor, type="dpa", title="Secret DPA B")
    return {"vendor": vendor, "integration": integration, "sub": sub, "contract": contract}
