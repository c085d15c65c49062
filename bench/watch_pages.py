"""Benchmark: checking 1,000 watched vendor pages on loopback with 2 worker processes (issue 19).

    .venv/bin/python bench/watch_pages.py                       # SQLite, 1,000 pages, 2 workers
    .venv/bin/python bench/watch_pages.py --database postgres   # postgres://postgres@127.0.0.1:5432/vendorvet_bench_watch
    .venv/bin/python bench/watch_pages.py --pages 200 --workers 1

One loopback HTTP server (the tests' ``WatchServer``) serves every page: a realistic sub-processor page with
navigation, a timestamp, a cache-busted script, a 20-row table and a footer (about 3 KB). Three rounds, each the
production check (``watch.scheduling.run_checks``: the engine's SSRF-safe client, robots.txt, conditional GET,
canonical text, row comparison, events in one transaction per page), split over N forked worker processes:

1. first check of every page (baseline; the rows stored);
2. every page's timestamp changed and its rows reordered (nothing meaningful: no event expected);
3. 10 % of the pages get a new sub-processor in a new third country (page changed, new sub-processor, new
   country and no-transfer-basis events expected).

Printed per round: wall time, pages per second, events recorded, and the database's growth (SQLite: file +
WAL size; PostgreSQL: ``pg_database_size``). The operator's loopback test override is switched on for this
process (the bench's vendor lives on 127.0.0.1). Peer figure: none published for a self-hosted page watcher;
the comparison is with this repository's scan fleet (bench/MONITORING.md), where one integration costs seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
PG_URL = os.environ.get("VENDORVET_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/vendorvet_bench_watch")

COUNTRIES = ["Ireland", "Germany", "France", "Netherlands", "USA", "Sweden", "Austria", "Belgium"]


def rows_for(i: int, extra: bool = False) -> list[tuple[str, str, str]]:
    rows = [(f"Provider {i}-{k} GmbH", f"Service {k}", COUNTRIES[(i + k) % len(COUNTRIES)]) for k in range(20)]
    if extra:
        rows.append((f"New Analytics {i} Ltd", "Product analytics", "India"))
    return rows


def _db_size(url: str | None, data_dir: Path) -> int:
    from django.db import connection

    if url:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return cur.fetchone()[0]
    return sum(p.stat().st_size for p in data_dir.glob("*.sqlite3*"))


def _work(tenant_id: int, ids: list[int]) -> None:
    from django.db import connections

    connections.close_all()
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.context import tenant_session
    from vendorvet.web.core.events import task_actor
    from vendorvet.web.watch.scheduling import run_checks

    with tenant_session(Tenant.objects.get(pk=tenant_id), task_actor()):
        run_checks(ids)
    connections.close_all()


def _round(tenant_id: int, ids: list[int], workers: int) -> float:
    from django.db import connections

    connections.close_all()
    start = time.perf_counter()
    children = []
    for w in range(workers):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _work(tenant_id, ids[w::workers])
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        children.append(pid)
    failed = 0
    for pid in children:
        _, status = os.waitpid(pid, 0)
        failed += os.waitstatus_to_exitcode(status) != 0
    if failed:
        raise SystemExit(f"{failed} worker(s) failed")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="vendorvet-bench-watch-"))
    os.environ["VENDORVET_DATA_DIR"] = str(data_dir)
    pg = args.pg_url if args.database == "postgres" else None
    if pg:
        import psycopg

        base, _, name = pg.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = pg
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "vendorvet.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = True  # the bench's vendor server is on 127.0.0.1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)

    from tests.support.watch_server import WatchServer, subprocessor_page
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.context import Actor, tenant_session
    from vendorvet.web.inventory.models import Vendor
    from vendorvet.web.monitoring.models import MonitoringEvent
    from vendorvet.web.watch.models import WatchedPage

    server = WatchServer().start()
    for i in range(args.pages):
        server.html(f"/v{i}/subprocessors", subprocessor_page(rows_for(i)))
    tenant = Tenant.objects.create(name="Bench GmbH", slug="bench")
    with tenant_session(tenant, Actor.system("bench")):
        vendors = Vendor.objects.bulk_create([Vendor(tenant=tenant, name=f"Vendor {i}", country="DE")
                                              for i in range(args.pages)])
        WatchedPage.objects.bulk_create([WatchedPage(tenant=tenant, vendor=v, kind="subprocessors",
                                                     url=f"{server.base}/v{i}/subprocessors")
                                         for i, v in enumerate(vendors)])
        ids = list(WatchedPage.objects.order_by("pk").values_list("pk", flat=True))
    print(f"{args.pages} watched pages, {args.workers} worker processes, {args.database}; "
          f"page size {len(subprocessor_page(rows_for(0)))} bytes")

    def events() -> int:
        with tenant_session(tenant, Actor.system("bench")):
            return MonitoringEvent.objects.count()

    def report(label: str, seconds: float, size_before: int, events_before: int) -> None:
        size = _db_size(pg, data_dir)
        print(f"{label:<44} {seconds:7.2f} s  {args.pages / seconds:7.1f} pages/s  "
              f"events +{events() - events_before:<5} database +{(size - size_before) / 1e6:6.2f} MB "
              f"(now {size / 1e6:.2f} MB)")

    rounds = [
        ("1 first check (baseline)", lambda i: subprocessor_page(rows_for(i))),
        ("2 timestamp changed, rows reordered", lambda i: subprocessor_page(
            list(reversed(rows_for(i))), stamp="Last updated: 1 December 2026")),
        ("3 new third-country sub-processor on 10 %", lambda i: subprocessor_page(
            list(reversed(rows_for(i, extra=i % 10 == 0))), stamp="Last updated: 2 December 2026")),
    ]
    from django.db import connections

    for label, page in rounds:
        for i in range(args.pages):
            server.html(f"/v{i}/subprocessors", page(i))
        connections.close_all()
        size_before, events_before = _db_size(pg, data_dir), events()
        seconds = _round(tenant.pk, ids, args.workers)
        report(label, seconds, size_before, events_before)
    with tenant_session(tenant, Actor.system("bench")):
        states = dict.fromkeys(("checked", "could_not_check", "new"), 0)
        for state in WatchedPage.objects.values_list("state", flat=True):
            states[state] += 1
    print(f"page states: {states}; requests served: {sum(server.hits.values())}")
    server.stop()
    return 0 if states["could_not_check"] == 0 and states["new"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
