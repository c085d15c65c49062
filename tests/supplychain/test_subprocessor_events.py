"""A new or changed sub-processor is a monitoring change event, per integration of the vendor, once per change."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from tests.monitoring.conftest import immediate_tasks, receiver, webhook_rule  # noqa: F401  (fixtures)
from tests.scans.conftest import allow_private  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def events():
    from vendorvet.web.monitoring.models import MonitoringEvent

    return list(MonitoringEvent.objects.filter(kind="subprocessor_changed").order_by("id"))


def test_new_and_changed_sub_processor_events_with_before_and_after(
        tenant_a, tenant_b, admin_a, make_vendor, make_integration, allow_private, immediate_tasks, receiver,
        webhook_rule, api_as):
    from vendorvet.web.legal import services
    from vendorvet.web.legal.models import SubProcessor

    port, rec = receiver
    webhook_rule(tenant_a, port)
    vendor = make_vendor(tenant_a, "Acme Cloud Inc.", country="US")
    crm = make_integration(tenant_a, "Acme CRM", vendor=vendor)
    erp = make_integration(tenant_a, "Acme ERP", vendor=vendor)
    with acting(tenant_a, admin_a):
        sub, _assessments = services.save_sub_processor(SubProcessor(vendor=vendor, name="Infosys", country="IN",
                                                                     purpose="support"))
        new = events()
        assert sorted(e.integration_id for e in new) == sorted([crm.pk, erp.pk])
        assert {(e.severity, e.before) for e in new} == {("medium", None)}
        assert new[0].after == {"name": "Infosys", "country": "IN", "purpose": "support", "dpf_status": "unknown"}
        assert str(new[0].title) == "Acme Cloud Inc.: new sub-processor Infosys (IN)"

        services.save_sub_processor(sub)  # saved again unchanged: nothing new
        assert len(events()) == 2

        sub.purpose = "support and hosting"
        services.save_sub_processor(sub)
        changed = events()[2:]
        assert len(changed) == 2 and {e.severity for e in changed} == {"low"}
        assert changed[0].before["purpose"] == "support" and changed[0].after["purpose"] == "support and hosting"
        assert "purpose: support → support and hosting" in str(changed[0].detail)
        assert str(changed[0].title) == "Acme Cloud Inc.: sub-processor Infosys changed"
    assert len(rec.succeeded) == 4  # one alert per event

    # Through the API (an update goes through the same service): a country change is medium.
    api = api_as(tenant_a, admin_a)
    resp = api.patch(f"/api/legal/sub-processors/{sub.pk}/", {"country": "US"}, format="json")
    assert resp.status_code == 200, resp.content
    with acting(tenant_a, admin_a):
        moved = events()[4:]
        assert len(moved) == 2 and {e.severity for e in moved} == {"medium"}
        assert (moved[0].before["country"], moved[0].after["country"]) == ("IN", "US")
        # a vendor without integrations: one event for the vendor
        lonely = make_vendor(tenant_a, "Lonely Vendor", country="DE")
        services.save_sub_processor(SubProcessor(vendor=lonely, name="Hetzner", country="DE"))
        (vendor_event,) = [e for e in events() if e.vendor_id == lonely.pk]
        assert vendor_event.integration_id is None
    with acting(tenant_b):
        assert events() == []
