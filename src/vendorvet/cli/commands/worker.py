"""``vendorvet worker``: run background tasks (scans, alert deliveries, …) from the configured queue.

With the database queue (the default) it runs the django-tasks database worker; with the Redis queue
(``VENDORVET_TASK_BACKEND=rq``) an RQ worker — start as many as you like, on as many machines as share the
database and Redis. Every worker also queues again the scans whose worker died (expired scan lease).
``vendorvet serve`` starts one next to the web server unless ``--no-worker`` is given.
"""

from __future__ import annotations

import argparse
import threading

from vendorvet.cli.runtime import setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "worker", help="run background tasks (scans and other queued work)",
        description="Process the task queue: the database queue (default) or Redis when "
        "VENDORVET_TASK_BACKEND=rq (VENDORVET_REDIS_URL). Runs until interrupted, or with --batch until the "
        "queue is empty.")
    parser.add_argument("--batch", action="store_true", help="process what is queued, then exit")
    parser.add_argument("--queue", default="*", help="queue names, comma-separated ('*' = all, the default)")
    parser.add_argument("--interval", type=float, default=1.0,
                        help="seconds between polls of an empty database queue")
    parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.core import queue
    from vendorvet.web.scans.services import lease_seconds

    queue.recover_lost_work()  # work (scans) left behind by a worker that died before this one started
    stop = threading.Event()
    queue.start_recovery_thread(max(1.0, lease_seconds() / 2), stop)
    print(f"vendorvet worker: queue {queue.describe()}", flush=True)
    try:
        if queue.uses_rq():
            names = [] if args.queue == "*" else [q.strip() for q in args.queue.split(",") if q.strip()]
            queue.run_rq_worker(names, burst=args.batch, max_jobs=args.max_tasks)
            return 0
        from django.core.management import call_command

        options = {"queue_name": args.queue, "interval": args.interval, "batch": args.batch, "reload": False,
                   "startup_delay": False, "verbosity": 1}
        if args.max_tasks is not None:
            options["max_tasks"] = args.max_tasks
        call_command("db_worker", **options)
    finally:
        stop.set()
    return 0
