"""Benchmark: re-checking a fleet of integrations with 1, 2 and 4 `vendorvet worker` processes on the Redis queue.

    .venv/bin/python bench/monitor_workers.py                        # 2,000 integrations, 1/2/4 workers
    .venv/bin/python bench/monitor_workers.py --integrations 300 --json results.json
    .venv/bin/python bench/monitor_workers.py --quick                # 40 integrations, 1 and 2 workers

Question (issue 7): do added workers add throughput until the machine's cores are busy? Each round queues a
full scan of every integration (one HTTPS endpoint each: TLS, HTTP headers, security.txt, DNS, location — the
production scan, nothing skipped) through the configured Redis queue and lets N workers drain it. Printed per
round: throughput (integrations per minute), CPU seconds and utilisation per worker and in total (from
/proc/<pid>/stat), the busy share of the machine's cores (/proc/stat), the load average, and the scaling ratio
against one worker. See bench/MONITORING.md for the method, the last result and the 50,000-integration estimate.

The fleet runs in a separate process: TLS+HTTP servers on 127.0.0.1 (the engine tests' loopback servers)
that wait a random 30–80 ms before each TLS handshake and before each HTTP response (``--delay-ms``), like
a vendor on the internet, plus a loopback DNS server. The database is PostgreSQL
(``postgres://postgres@127.0.0.1:5432/vendorvet_bench_monitor``, dropped and created again; ``--pg-url``) or a
SQLite file (``--database sqlite``); Redis database 14 on 127.0.0.1:6379 is flushed before and after
(``--redis-url``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # this tree's vendorvet; tests.engine.servers (loopback servers)

HOST = "api.fleet-vendor.test"
DOMAIN = "fleet-vendor.test"
PG_URL = os.environ.get("VENDORVET_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/vendorvet_bench_monitor")
REDIS_URL = "redis://127.0.0.1:6379/14"
TICKS = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- the fleet (child process)

def serve_fleet(count: int, cert: str, key: str, delay_ms: tuple[int, int]) -> None:
    """Child process: servers that add network-like delay; prints their ports; runs until stdin closes."""
    from contextlib import ExitStack

    import tests.engine.servers as servers
    from tests.engine.servers.dns import dns_server

    low, high = delay_ms[0] / 1000, delay_ms[1] / 1000

    class SlowServer(servers._Server):
        def finish_request(self, request, client_address):  # in the connection's thread: before the handshake
            time.sleep(random.uniform(low, high))
            super().finish_request(request, client_address)

    headers = [("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
               ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
               ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
               ("Content-Type", "application/json")]
    security_txt = (200, [("Content-Type", "text/plain")],
                    b"Contact: mailto:security@fleet-vendor.test\nExpires: 2099-01-01T00:00:00Z\n")

    def slow(response):
        def answer(_handler):
            time.sleep(random.uniform(low, high))
            return response
        return answer

    context = servers.server_context(Path(cert), Path(key))
    records = {(HOST, "A"): ["127.0.0.1"], (DOMAIN, "TXT"): ['"v=spf1 -all"'],
               (f"_dmarc.{DOMAIN}", "TXT"): ['"v=DMARC1; p=reject"'], (DOMAIN, "CAA"): ['0 issue "letsencrypt.org"']}
    servers._Server = SlowServer  # serve() builds its server from this name
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            site = servers.Site(routes={"/.well-known/security.txt": slow(security_txt)},
                                default=slow((200, headers, b"{}")))
            port, _site = stack.enter_context(servers.serve(site, context=context))
            ports.append(port)
        dns_port = stack.enter_context(dns_server(records))
        print(json.dumps({"ports": ports, "dns": dns_port}), flush=True)
        sys.stdin.read()


# --------------------------------------------------------------------------- database side (child process)

def django_command(argv: list[str]) -> None:
    """Child process with Django set up against the benchmark database: setup | enqueue | reset."""
    import django

    django.setup()
    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.core.context import Actor, tenant_session

    command = argv[0]
    actor = Actor(kind="system", label="bench", role="admin")
    if command == "setup":
        count, ports = int(argv[1]), json.loads(argv[2])
        from vendorvet.web.inventory.models import Endpoint, Integration, Vendor
        from vendorvet.web.scans.models import TenantScanSettings

        tenant = Tenant.objects.create(name="Bench GmbH", slug="bench")
        with tenant_session(tenant, actor):
            TenantScanSettings.objects.create(allow_private_targets=True)
            vendor = Vendor.objects.create(name="Fleet Vendor Inc.", country="DE")
            integrations = Integration.objects.bulk_create(
                [Integration(tenant=tenant, vendor=vendor, name=f"Fleet API {n:05d}", kind="api")
                 for n in range(count)])
            Endpoint.objects.bulk_create(
                [Endpoint(tenant=tenant, integration=i, url=f"https://{HOST}:{ports[n % len(ports)]}/v{n}")
                 for n, i in enumerate(integrations)])
        print(json.dumps({"tenant": tenant.pk, "integrations": count}))
    elif command == "enqueue":
        from vendorvet.web.inventory.models import Integration
        from vendorvet.web.scans.services import start_scan

        tenant = Tenant.objects.get(slug="bench")
        started = time.perf_counter()
        with tenant_session(tenant, actor):
            for integration in Integration.objects.order_by("pk"):
                start_scan(integration)
        print(json.dumps({"enqueue_seconds": round(time.perf_counter() - started, 2)}))
    elif command == "reset":
        from vendorvet.web.monitoring.models import MonitoringEvent, ScanSchedule
        from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

        for model in (MonitoringEvent, ScanSchedule, Finding, ScanTarget, ScanRun):
            model.all_tenants.all()._raw_delete(model.all_tenants.db)
    elif command == "sizes":
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
                               "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
                               "AND relname IN ('scans_finding', 'scans_scantarget', 'scans_scanrun', "
                               "'core_objectchange', 'monitoring_monitoringevent')")
                print(json.dumps(dict(cursor.fetchall())))
        else:
            print(json.dumps({}))
    else:
        raise SystemExit(f"unknown command {command}")


# --------------------------------------------------------------------------- measuring

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime (this process and its threads)


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Database:
    def __init__(self, kind: str, workdir: Path, pg_url: str):
        self.kind = kind
        if kind == "postgres":
            parts = urlsplit(pg_url)
            self.name = parts.path.lstrip("/")
            self.url = pg_url
            admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.path = workdir / "bench.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def row(self, sql: str) -> tuple:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute(sql).fetchone()
        import sqlite3

        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return conn.execute(sql).fetchone()
        finally:
            conn.close()

    def progress(self) -> tuple[int, int]:
        done, failed = self.row("SELECT COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0), "
                                "COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) FROM scans_scanrun")
        return int(done), int(failed)

    def window(self) -> float:
        if self.kind == "postgres":
            (seconds,) = self.row("SELECT EXTRACT(EPOCH FROM MAX(finished) - MIN(started)) FROM scans_scanrun")
        else:
            (seconds,) = self.row("SELECT (julianday(MAX(finished)) - julianday(MIN(started))) * 86400 "
                                  "FROM scans_scanrun")
        return float(seconds)


def round_with(workers: int, args, env: dict, db: Database, fleet_pid: int, workdir: Path) -> dict:
    import redis
    from rq import Worker

    client = redis.Redis.from_url(args.redis_url)
    client.flushdb()
    django_child(env, "reset")
    procs = [subprocess.Popen([sys.executable, "-m", "vendorvet.cli.main", "worker"], env=env, cwd=ROOT,
                              stdout=open(workdir / f"worker-{workers}-{n}.log", "w"), stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)
             for n in range(workers)]
    try:
        end = time.monotonic() + 120
        while len(Worker.all(connection=client)) < workers:
            if time.monotonic() > end:
                raise SystemExit("the workers did not start; see " + str(workdir))
            time.sleep(0.2)
        cpu0 = {p.pid: cpu_seconds(p.pid) for p in procs}
        fleet0, machine0, load0 = cpu_seconds(fleet_pid), machine_busy(), os.getloadavg()
        wall0 = time.perf_counter()
        used0 = client.info("memory")["used_memory"]
        enqueue = django_child(env, "enqueue")
        keys = [k for k in client.scan_iter("rq:job:*", count=1000) if k.count(b":") == 2][:50]
        job_bytes = [client.memory_usage(k) or 0 for k in keys]
        used1 = client.info("memory")["used_memory"]
        while True:
            done, failed = db.progress()
            if done + failed >= args.integrations:
                break
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker exited; see " + str(workdir))
            time.sleep(1.0)
        wall = time.perf_counter() - wall0
        cpu = [cpu_seconds(p.pid) - cpu0[p.pid] for p in procs]
        fleet_cpu = cpu_seconds(fleet_pid) - fleet0
        machine1, load1 = machine_busy(), os.getloadavg()
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
    window = db.window()
    busy = (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
    return {
        "workers": workers, "integrations": args.integrations, "done": done, "failed": failed,
        "window_seconds": round(window, 1), "wall_seconds": round(wall, 1),
        "per_minute": round(done / window * 60, 1), "enqueue_seconds": enqueue["enqueue_seconds"],
        "worker_cpu_seconds": [round(c, 1) for c in cpu], "worker_cpu_share": [round(c / wall, 2) for c in cpu],
        "workers_cpu_seconds": round(sum(cpu), 1), "fleet_cpu_seconds": round(fleet_cpu, 1),
        "cpu_seconds_per_integration": round(sum(cpu) / max(1, done), 3),
        "machine_busy": round(busy, 2), "cores": os.cpu_count(),
        "redis_bytes_per_job": round(sum(job_bytes) / max(1, len(job_bytes))),
        "redis_growth_during_enqueue": used1 - used0,
        "load_before": [round(x, 2) for x in load0], "load_after": [round(x, 2) for x in load1],
    }


def django_child(env: dict, *argv: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--django", *argv], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{done.stderr[-3000:]}")
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def print_round(r: dict, base: dict | None) -> None:
    ratio = r["per_minute"] / base["per_minute"] if base else 1.0
    print(f"{r['workers']} worker(s): {r['done']}/{r['integrations']} done ({r['failed']} failed) in "
          f"{r['window_seconds']} s → {r['per_minute']} integrations/min, scaling ×{ratio:.2f} "
          f"(ideal ×{r['workers'] / (base['workers'] if base else r['workers']):.0f})")
    print(f"    CPU per worker {r['worker_cpu_seconds']} s (share of one core {r['worker_cpu_share']}), workers "
          f"{r['workers_cpu_seconds']} s = {r['cpu_seconds_per_integration']} s/integration; fleet "
          f"{r['fleet_cpu_seconds']} s; machine busy {r['machine_busy'] * 100:.0f} % of {r['cores']} cores; "
          f"load {r['load_before'][0]} → {r['load_after'][0]}; Redis {r['redis_bytes_per_job']} bytes per job",
          flush=True)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-fleet":
        serve_fleet(int(sys.argv[2]), sys.argv[3], sys.argv[4], (int(sys.argv[5]), int(sys.argv[6])))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--django":
        django_command(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--integrations", type=int, default=2000)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated (default 1,2,4)")
    parser.add_argument("--quick", action="store_true", help="40 integrations, 1 and 2 workers")
    parser.add_argument("--servers", type=int, default=50, help="loopback vendor servers (default 50)")
    parser.add_argument("--delay-ms", default="30,80", help="added delay range per handshake/response")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    if args.quick:
        args.integrations, args.workers = 40, "1,2"
    counts = [int(n) for n in args.workers.split(",")]
    low, high = (int(x) for x in args.delay_ms.split(","))

    import redis

    from bench.scan_fleet import make_pki  # noqa: E402  (same throwaway CA and leaf)

    workdir = Path(tempfile.mkdtemp(prefix="vendorvet-bench-monitor-"))
    ca, cert, key = make_pki(workdir)
    fleet = subprocess.Popen([sys.executable, __file__, "--serve-fleet", str(args.servers), str(cert), str(key),
                              str(low), str(high)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             cwd=ROOT)
    info = json.loads(fleet.stdout.readline())
    db = Database(args.database, workdir, args.pg_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VENDORVET_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.monitoring.worker_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]), "DATABASE_URL": db.url,
        "VENDORVET_TEST_DATA_DIR": str(workdir / "data"),
        "VENDORVET_TASK_BACKEND": "rq", "VENDORVET_REDIS_URL": args.redis_url, "VENDORVET_LOG_LEVEL": "WARNING",
        "VENDORVET_TEST_SCAN_OPTIONS": json.dumps({"nameserver": f"127.0.0.1:{info['dns']}", "ca_file": str(ca),
                                                   "timeout": 10, "plain_http_port": None}),
    })
    (workdir / "data").mkdir()
    results = []
    try:
        subprocess.run([sys.executable, "-m", "vendorvet.cli.main", "migrate"], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=600)
        django_child(env, "setup", str(args.integrations), json.dumps(info["ports"]))
        print(f"fleet: {args.integrations} integrations on {args.servers} loopback TLS servers "
              f"({low}–{high} ms per handshake and response), {args.database}, Redis {args.redis_url}; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}", flush=True)
        for workers in counts:
            results.append(round_with(workers, args, env, db, fleet.pid, workdir))
            print_round(results[-1], results[0] if len(results) > 1 else None)
        sizes = django_child(env, "sizes") if args.database == "postgres" else {}
    finally:
        fleet.stdin.close()
        fleet.wait(30)
        client = redis.Redis.from_url(args.redis_url)
        client.flushdb()
    shutil.rmtree(workdir, ignore_errors=True)  # kept (with the worker logs) only when a round failed
    base = results[0]
    print("scaling:", ", ".join(f"{r['workers']} → ×{r['per_minute'] / base['per_minute']:.2f}" for r in results))
    if sizes:  # every round wrote N scans; deleted rows of earlier rounds still occupy their pages
        scans = args.integrations * len(results)
        print(f"database after {len(results)} rounds ({scans} scans written): {json.dumps(sizes)} bytes → "
              f"{sum(sizes.values()) / scans / 1024:.1f} KB per scan")
    if args.json:
        Path(args.json).write_text(json.dumps({"rounds": results, "sizes": sizes,
                                               "delay_ms": [low, high], "servers": args.servers}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
