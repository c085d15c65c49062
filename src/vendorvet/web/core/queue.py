"""The background task queue: which backend is configured, enqueueing safely, Redis health, the RQ worker.

The database queue (``django_tasks_db``) is the default; ``VENDORVET_TASK_BACKEND=rq`` puts the tasks in Redis
(``VENDORVET_REDIS_URL``) so that any number of ``vendorvet worker`` processes, on several machines, share
them. Nothing here prints or logs the Redis password: URLs pass through :func:`config.redact_url`.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from rq.worker import SimpleWorker

from vendorvet.web import config

log = logging.getLogger(__name__)
_identity: tuple[int, str] | None = None


def backend_path() -> str:
    return settings.TASKS["default"]["BACKEND"]


def uses_rq() -> bool:
    return config.uses_rq(backend_path())


def uses_database() -> bool:
    return backend_path().startswith("django_tasks_db.")


def describe() -> str:
    """One line for operators: the queue and where it lives (password redacted)."""
    if uses_rq():
        return f"Redis (RQ) at {config.redact_url(settings.VENDORVET_REDIS_URL)}"
    if uses_database():
        return "database (django-tasks database backend)"
    return backend_path()


def worker_identity() -> str:
    """host:pid:random — names the process holding a scan's lease (a new one after fork or pid reuse)."""
    global _identity
    pid = os.getpid()
    if _identity is None or _identity[0] != pid:
        _identity = (pid, f"{socket.gethostname()[:60]}:{pid}:{secrets.token_hex(3)}")
    return _identity[1]


def enqueue(task, *args, on_enqueued=None):
    """Enqueue ``task(*args)``; with Redis, only once the current database transaction has committed.

    A database queue commits (or rolls back) with the rows the task reads; Redis does not, so a worker could
    otherwise pick the job before the row it names is visible. ``on_enqueued(result)`` runs after enqueueing.
    """
    def send():
        result = task.enqueue(*args)
        if on_enqueued is not None:
            on_enqueued(result)
        return result

    if uses_rq() and connection.in_atomic_block:
        transaction.on_commit(send, robust=True)
        return None
    return send()


def redis_status(url: str | None = None, timeout: float = 3.0) -> tuple[bool, str]:
    """(answers, message) for the configured Redis; the message never contains the password."""
    return config.redis_ping(url or settings.VENDORVET_REDIS_URL, timeout)


class Worker(SimpleWorker):
    """An RQ worker that runs each job in its own process (no fork per job): cheaper per job, and a worker
    killed mid-scan takes its scan with it, which the scan lease then notices."""

    def execute_job(self, job, queue):
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()


def recover_lost_work() -> dict:
    """Run the apps' recovery hooks (``registry.recovery_hooks``: e.g. the scans app re-queues the scans whose
    worker stopped renewing its lease); {hook key: its report}. A failing hook does not stop the others."""
    from vendorvet.web.core.registry import registry

    reports: dict = {}
    for key, hook in registry.recovery_hooks.items():
        try:
            reports[key] = hook()
        except Exception as exc:  # noqa: BLE001 - the next pass tries again
            log.exception("recovery hook %s failed", key)
            reports[key] = {"error": f"{type(exc).__name__}: {exc}"}
    return reports


def requeued(reports: dict) -> int:
    """How many pieces of work the recovery hooks queued again (their reports' ``requeued``)."""
    return sum(int(r.get("requeued", 0)) for r in reports.values() if isinstance(r, dict))


def start_recovery_thread(interval: float, stop: threading.Event) -> threading.Thread:
    """Every ``interval`` seconds: run the recovery hooks (queue again the work whose worker stopped renewing
    its lease)."""

    def loop():
        while not stop.wait(interval):
            try:
                recover_lost_work()
            except Exception:  # noqa: BLE001 - the next pass tries again
                log.exception("recovering lost work failed")
            finally:
                connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=loop, name="lease-recovery", daemon=True)
    thread.start()
    return thread


def run_rq_worker(queue_names: list[str], burst: bool, max_jobs: int | None) -> None:
    """Work the Redis queues until stopped (or, with ``burst``, until they are empty)."""
    import django_rq
    from django_tasks_rq.backend import Job

    names = queue_names or sorted(settings.RQ_QUEUES)
    worker = django_rq.get_worker(*names, job_class=Job, worker_class=Worker)
    worker.work(burst=burst, max_jobs=max_jobs, with_scheduler=False, logging_level="WARNING")
