"""Watch fixtures: a loopback vendor server whose pages change between fetches, a vendor, the loopback policy."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_as, token_for  # noqa: F401
from tests.conftest import acting
from tests.support.watch_server import WatchServer
from tests.web.conftest import login  # noqa: F401

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def server():
    srv = WatchServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def loopback(settings):
    """The test-only operator override (as the scan tests use it): loopback reachable, metadata still refused."""
    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = True
    settings.VENDORVET_WATCH_TIMEOUT = 1.0
    return settings


@pytest.fixture
def vendor(tenant_a, make_vendor):
    from vendorvet.web.inventory.models import Integration

    acme = make_vendor(tenant_a, "Acme Cloud Inc.", country="US")
    with acting(tenant_a):
        Integration.objects.create(name="Acme CRM", vendor=acme, processing_countries=["US"])
    return acme


def events_of(tenant, **filters) -> list:
    from vendorvet.web.monitoring.models import MonitoringEvent

    with acting(tenant):
        return list(MonitoringEvent.objects.filter(**filters).order_by("pk"))
