"""Background tasks (Django Tasks API; the project runs the database backend and ``django-admin db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def scan_integration(run_id: int) -> dict:
    """Scan the endpoints of a queued :class:`~vendorvet.web.scans.models.ScanRun` and store its findings."""
    from vendorvet.web.scans.services import run_scan

    return run_scan(run_id)
