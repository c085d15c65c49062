"""Fixtures for the web UI tests: logged-in clients per role and a small inventory."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD, acting


@pytest.fixture
def login():
    """login(user) -> a Django test client with that user logged in."""

    def make(user, **headers) -> Client:
        client = Client(**headers)
        assert client.login(username=user.get_username(), password=PASSWORD)
        return client

    return make


@pytest.fixture
def inventory_a(tenant_a, make_vendor):
    """Three vendors and five integrations in tenant A, across tiers, statuses and departments."""
    from vendorvet.web.inventory.models import Integration

    acme = make_vendor(tenant_a, "Acme Cloud Inc.", country="US", website="https://acme.example")
    datev = make_vendor(tenant_a, "DATEV eG", country="DE")
    slack = make_vendor(tenant_a, "Slack Technologies", country="US")
    rows = [
        ("Acme CRM", acme, dict(department="Sales", status="approved", data_categories=["personal"],
                                 kind="saas", approx_users=120)),
        ("Payroll Export", datev, dict(department="HR", status="in_review",
                                        data_categories=["personal", "financial"], kind="api",
                                        access_scope="write", outage_impact="high")),
        ("Lohn Connector", datev, dict(department="HR", status="proposed", data_categories=["health"],
                                        kind="plugin")),
        ("Slack Workspace", slack, dict(department="IT", status="approved_with_conditions",
                                         data_categories=["internal"], kind="oauth_app")),
        ("Wiki Plugin", acme, dict(department="IT", status="retired", data_categories=["none"], kind="plugin")),
    ]
    created = {}
    with acting(tenant_a):
        for name, vendor, fields in rows:
            created[name] = Integration.objects.create(name=name, vendor=vendor, **fields)
    created["vendors"] = {"acme": acme, "datev": datev, "slack": slack}
    return created


@pytest.fixture
def inventory_b(tenant_b, make_vendor):
    from vendorvet.web.inventory.models import Contact, Integration

    vendor = make_vendor(tenant_b, "Geheim Vendor GmbH", country="DE")
    with acting(tenant_b):
        integration = Integration.objects.create(name="Secret Fleet Tracker", vendor=vendor, department="Logistik")
        Contact.objects.create(vendor=vendor, name="Hidden Person")
    return {"vendor": vendor, "integration": integration}


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.I)


def assert_csp_clean(html: str) -> None:
    """No inline scripts, event handler attributes or inline styles (the CSP would block them)."""
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html).group(0)
