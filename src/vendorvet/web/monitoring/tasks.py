"""Background tasks (Django Tasks API): the monitoring tick and the delivery of one alert.

Each is defined beside the code it runs (``scheduling.monitoring_tick``, ``alerts.deliver_alert``), so that
enqueueing a delivery does not import the scheduler; this module names them in one place.
"""

from __future__ import annotations

from vendorvet.web.monitoring.alerts import deliver_alert
from vendorvet.web.monitoring.scheduling import monitoring_tick

__all__ = ["deliver_alert", "monitoring_tick"]
