"""Fixtures for the assessment tests: logged-in clients, an integration per tier, a started assessment."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import browser_page  # noqa: F401  (the project's Chromium launcher)
from tests.conftest import PASSWORD, acting


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        assert client.login(username=user.get_username(), password=PASSWORD)
        return client

    return make


@pytest.fixture
def crm(tenant_a, make_integration):
    """A tier-2 CRM: personal data of customers, write access, processed in Germany."""
    return make_integration(tenant_a, "Acme CRM", data_categories=["personal"], access_scope="admin",
                            processing_countries=["DE"])


@pytest.fixture
def started(tenant_a, assessor_a, crm):
    from vendorvet.web.assessments import services

    with acting(tenant_a, assessor_a, role="assessor"):
        return services.start_assessment(crm)


@pytest.fixture
def lenient_policy(tenant_a, admin_a):
    """A policy that lets any approval through: for tests of the decision mechanics, not of the policy
    (the policy itself is tested in test_policy.py)."""
    from vendorvet.web.assessments import policy

    with acting(tenant_a, admin_a, role="admin"):
        return policy.change("Tests of the decision mechanics", four_eyes_max_tier=0, min_grade="F",
                             block_mandatory_unknown=False, block_mandatory_failed=False)
