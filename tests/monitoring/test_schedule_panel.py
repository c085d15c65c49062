"""The integration panel shows the re-scan schedule as it is (issue 13): off when the tenant turned scheduled
re-scans off, nothing when there is nothing to scan, otherwise the tier's interval and the next date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import acting
from tests.web.conftest import login  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def api_integration(tenant_a, make_integration):
    from vendorvet.web.inventory.models import Endpoint

    integration = make_integration(tenant_a, name="Vendor API", kind="api", tier=2)
    with acting(tenant_a):
        Endpoint.objects.create(integration=integration, url="https://api.vendor.example/v1")
    return integration


def _panel(client, integration) -> str:
    return client.get(f"/monitoring/integrations/{integration.pk}/panel/").content.decode()


def test_the_panel_says_when_scheduled_rescans_are_off(tenant_a, admin_a, api_integration, login):  # noqa: F811
    from vendorvet.web.monitoring.models import MonitoringSettings

    with acting(tenant_a):
        MonitoringSettings.objects.create(enabled=False)
    en = _panel(login(admin_a, HTTP_ACCEPT_LANGUAGE="en"), api_integration)
    assert "Scheduled re-scans are off." in en and "Re-scanned automatically" not in en
    de = _panel(login(admin_a, HTTP_ACCEPT_LANGUAGE="de"), api_integration)
    assert "Geplante Wiederholungsscans sind ausgeschaltet." in de and ": ." not in de


def test_the_panel_shows_the_interval_by_tier_and_the_next_date(tenant_a, admin_a, api_integration,
                                                              make_integration, login):  # noqa: F811
    from vendorvet.web.monitoring.models import ScanSchedule
    from vendorvet.web.monitoring.scheduling import cadence_days

    with acting(tenant_a):
        days = cadence_days(api_integration.tier)
    assert days > 1
    en = _panel(login(admin_a, HTTP_ACCEPT_LANGUAGE="en"), api_integration)
    assert f"Re-scanned automatically every {days} days." in en
    assert "The next re-scan is planned at the next monitoring run." in en and ": ." not in en
    with acting(tenant_a):
        ScanSchedule.objects.create(integration=api_integration,
                                    next_due=timezone.make_aware(dt.datetime(2031, 3, 4, 5, 6)))
    de = _panel(login(admin_a, HTTP_ACCEPT_LANGUAGE="de"), api_integration)
    assert f"Wird alle {days} Tage automatisch erneut gescannt." in de
    assert "Nächster Wiederholungsscan: 04.03.2031" in de and ": ." not in de
    nothing = make_integration(tenant_a, name="No endpoints")
    assert "there is nothing to scan" in _panel(login(admin_a, HTTP_ACCEPT_LANGUAGE="en"), nothing)
