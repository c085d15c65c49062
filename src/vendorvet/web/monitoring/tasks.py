"""Background tasks (Django Tasks API): the monitoring tick and the delivery of one alert."""

from __future__ import annotations

from django_tasks import task


@task()
def monitoring_tick() -> dict:
    """Enqueue due re-scans, record changes and calendar facts, retry alerts, send digests (all tenants)."""
    from vendorvet.web.monitoring.scheduling import tick

    return tick().as_dict()


@task()
def deliver_alert(delivery_id: int) -> dict:
    """Send one alert delivery in its tenant; a failure is recorded and retried later with back-off."""
    from vendorvet.web.core.context import tenant_session
    from vendorvet.web.monitoring.alerts import deliver
    from vendorvet.web.monitoring.models import AlertDelivery
    from vendorvet.web.monitoring.scheduling import installation_language, monitor_actor

    row = AlertDelivery.all_tenants.select_related("tenant").filter(pk=delivery_id).first()
    if row is None:
        return {"delivery": delivery_id, "state": "gone"}
    with tenant_session(row.tenant, monitor_actor()), installation_language():
        delivery = deliver(delivery_id)
    return {"delivery": delivery_id, "state": delivery.state, "attempts": delivery.attempts}
