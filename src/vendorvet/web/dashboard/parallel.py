"""The dashboard's sections computed side by side.

A dashboard pass is a dozen independent aggregate queries; run one after another they add up. Grouped by the app
that registered them (sections of one app share their aggregates through the pass cache, so they stay together),
the groups run on a small pool of threads, each with its own database connection — SQLite and PostgreSQL do the
work while the GIL is released — and the longest groups start first.

Each task runs in a copy of the request's context (active tenant, actor, the pass cache) with the request's
language and time zone. Inside a transaction (a test case, a request in ``atomic``) other connections could not
see its uncommitted rows, so the pass runs in this thread, one section after the other, as before.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone, translation

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def workers() -> int:
    return max(int(getattr(settings, "VENDORVET_DASHBOARD_THREADS", 2)), 1)


def usable() -> bool:
    return workers() > 1 and not connection.in_atomic_block


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:  # made on first use, not at import
            _pool = ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="vendorvet-dashboard")
        return _pool


def _run(task: Callable[[], list], language: str | None, zone) -> list:
    try:
        with translation.override(language), timezone.override(zone):
            return task()
    finally:
        close_old_connections()  # as at the end of a request: CONN_MAX_AGE decides whether it stays open


def run_groups(groups: list[tuple[float, Callable[[], list]]]) -> list[list]:
    """Run ``(weight, task)`` groups side by side (heaviest first); results in the given order."""
    language, zone = translation.get_language(), timezone.get_current_timezone()
    order = sorted(range(len(groups)), key=lambda i: -groups[i][0])
    futures = {i: _executor().submit(contextvars.copy_context().run, _run, groups[i][1], language, zone)
               for i in order}
    return [futures[i].result() for i in range(len(groups))]
