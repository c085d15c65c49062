"""``vendorvet worker``: run background tasks (scans, …) from the database queue.

``vendorvet serve`` starts one next to the web server unless ``--no-worker`` is given; run it
separately (several, for scale) when the web server runs elsewhere.
"""

from __future__ import annotations

import argparse

from vendorvet.cli.runtime import setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "worker", help="run background tasks (scans and other queued work)",
        description="Process the database task queue (Django Tasks, database backend). Runs until "
        "interrupted, or with --batch until the queue is empty.")
    parser.add_argument("--batch", action="store_true", help="process what is queued, then exit")
    parser.add_argument("--queue", default="*", help="queue names, comma-separated ('*' = all, the default)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
    parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    options = {"queue_name": args.queue, "interval": args.interval, "batch": args.batch, "reload": False,
               "startup_delay": False, "verbosity": 1}
    if args.max_tasks is not None:
        options["max_tasks"] = args.max_tasks
    call_command("db_worker", **options)
    return 0
