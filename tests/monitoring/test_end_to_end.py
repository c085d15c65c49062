"""End to end: a loopback TLS server scanned twice with a configuration change in between → exactly one
new event and exactly one alert delivered; a later tick adds neither."""

from __future__ import annotations

import json

import pytest

from tests.conftest import acting
from tests.scans.conftest import GOOD_HEADERS
from vendorvet.web.core.context import Actor, tenant_session

pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")]


def scan(tenant, user, integration):
    from vendorvet.web.scans import services

    with tenant_session(tenant, Actor(kind="user", label=user.get_username(), user=user, role="assessor")):
        run = services.start_scan(integration)
    assert run.status == "done", run.error
    return run


def test_configuration_change_between_two_scans_gives_one_event_and_one_alert(
        tenant_a, assessor_a, scan_settings, allow_private, scanned_integration, vendor_site, receiver,
        webhook_rule):
    from vendorvet.web.monitoring.models import AlertDelivery, MonitoringEvent
    from vendorvet.web.monitoring.scheduling import tick

    port, site = vendor_site
    hook_port, rec = receiver
    webhook_rule(tenant_a, hook_port)

    scan(tenant_a, assessor_a, scanned_integration)
    assert MonitoringEvent.all_tenants.count() == 0  # nothing to compare with yet

    # the vendor announces the deprecation of the API (RFC 9745 Deprecation header)
    site.default = (200, [*GOOD_HEADERS, ("Deprecation", "@1700000000")], b"{}")
    second = scan(tenant_a, assessor_a, scanned_integration)

    # findings of one run are one grouped event (issue 13): the list of changes is in it
    [event] = MonitoringEvent.all_tenants.all()
    assert (event.kind, event.integration_id, event.run_id) == ("scan_changes", scanned_integration.pk, second.pk)
    [change] = event.after["changes"]
    assert change["check"] == "api.lifecycle.deprecation" and change["change"] == "new"
    assert (change["before"], change["after"]) == ("pass", "warn") and event.action  # says what to do
    [delivery] = AlertDelivery.all_tenants.all()
    assert delivery.state == "delivered" and delivery.attempts == 1
    [request] = rec.requests
    body = json.loads(request["body"])
    assert body["event"]["id"] == event.pk and body["integration"]["id"] == scanned_integration.pk

    report = tick(tenants=[tenant_a])  # catch-up and calendar: nothing new, nothing repeated
    assert report.errors == [] and report.scans_enqueued == 0
    assert MonitoringEvent.all_tenants.count() == 1
    assert MonitoringEvent.all_tenants.get().occurrences == 1
    assert AlertDelivery.all_tenants.count() == 1 and len(rec.requests) == 1

    # the vendor drops the header again: the event resolves itself; a "resolved" event is recorded
    site.default = (200, list(GOOD_HEADERS), b"{}")
    scan(tenant_a, assessor_a, scanned_integration)
    event.refresh_from_db()
    assert event.state == "resolved"
    with acting(tenant_a):
        kinds = sorted(MonitoringEvent.objects.values_list("kind", flat=True))
    assert kinds == ["scan_changes", "scan_changes"]


def test_a_fact_change_without_a_status_change_is_reported(tenant_a, assessor_a, scan_settings, allow_private,
                                                          scanned_integration, vendor_site):
    """The rate-limit policy changes while the check still passes: one ratelimit_changed event, before/after."""
    from vendorvet.web.monitoring.models import MonitoringEvent

    port, site = vendor_site
    site.default = (200, [*GOOD_HEADERS, ("RateLimit-Limit", "100")], b"{}")
    scan(tenant_a, assessor_a, scanned_integration)
    site.default = (200, [*GOOD_HEADERS, ("RateLimit-Limit", "20")], b"{}")
    second = scan(tenant_a, assessor_a, scanned_integration)
    [event] = MonitoringEvent.all_tenants.all()
    assert (event.kind, event.run_id) == ("ratelimit_changed", second.pk)
    assert event.before["limit"] == 100 and event.after["limit"] == 20
    assert "limit: 100" in event.detail.lower() and "limit: 20" in event.detail.lower()
