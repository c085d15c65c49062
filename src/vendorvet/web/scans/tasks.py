"""Background tasks (Django Tasks API; the project runs the database backend and ``django-admin db_worker``).

The scan task is defined beside the code that enqueues and runs it (``services.scan_integration``), so that
starting a scan does not import this module back; this module names it.
"""

from __future__ import annotations

from vendorvet.web.scans.services import scan_integration

__all__ = ["scan_integration"]
