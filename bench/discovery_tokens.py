#!/usr/bin/env python
"""Benchmark: a 1,000,000-event Google Workspace token audit log streamed into the inventory.

The script
  1. writes a Reports API token log (``applications/token``: pages of 1,000 activities, concatenated, as
     ``GET …/activity/users/all/applications/token`` returns them) with 1,000,000 events: 400 OAuth apps,
     5,000 users with 8 apps each, ~70 % ``activity``, ~25 % ``authorize`` (with scopes), ~5 % ``revoke``,
  2. runs the import in a separate process (``--child``) against a fresh database — a new SQLite file in a
     temporary data directory, or PostgreSQL with ``--database postgresql`` (database
     ``vendorvet_bench_discovery``, dropped and created) — exactly as ``vendorvet discover google-tokens``
     does (parse, then merge in one transaction),
  3. prints the import's wall time and the child's peak memory (max RSS) with PASS/FAIL against the targets
     (< 30 s, < 300 MB).

Usage:  .venv/bin/python bench/discovery_tokens.py [--events 1000000] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30.0
TARGET_RSS_MB = 300.0
PG_URL = "postgres://postgres@127.0.0.1:5432/vendorvet_bench_discovery"
G = "https://www.googleapis.com/auth/"
SCOPE_POOL = ["openid", G + "userinfo.email", G + "userinfo.profile", G + "drive.readonly", G + "drive.file",
              G + "calendar", G + "calendar.events", G + "contacts.readonly", "https://mail.google.com/",
              G + "gmail.readonly", G + "gmail.send", G + "spreadsheets", G + "documents", G + "admin.directory.user"]


def write_log(path: Path, events: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    apps = []
    for i in range(400):
        scopes = ["openid", G + "userinfo.email"] + rnd.sample(SCOPE_POOL[2:], rnd.randint(0, 4))
        apps.append((f"{100000000000 + i}-bench{i:04d}.apps.googleusercontent.com", f"Bench App {i:03d}",
                     json.dumps(scopes)))
    users = [(f"user{u:05d}@nordlicht-maschinenbau.de", str(110000000000 + u), rnd.sample(range(400), 8))
             for u in range(5000)]
    start = 1_700_000_000
    with open(path, "w", encoding="utf-8") as out:
        written = 0
        while written < events:
            n = min(1000, events - written)
            items = []
            for k in range(n):
                email, pid, mine = users[rnd.randrange(5000)]
                client_id, name, scopes = apps[mine[rnd.randrange(8)]]
                t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start + (written + k) * 15))
                r = rnd.random()
                kind = "activity" if r < 0.70 else "authorize" if r < 0.95 else "revoke"
                scope_param = f',{{"name":"scope","multiValue":{scopes}}}' if kind != "activity" else \
                    ',{"name":"api_name","value":"drive"},{"name":"method_name","value":"drive.files.list"}'
                items.append(
                    f'{{"kind":"admin#reports#activity","id":{{"time":"{t}.{k % 1000:03d}Z","uniqueQualifier":'
                    f'"{written + k}","applicationName":"token","customerId":"C03az79cb"}},"actor":{{"email":'
                    f'"{email}","profileId":"{pid}","callerType":"USER"}},"ipAddress":"203.0.113.{k % 250}",'
                    f'"events":[{{"type":"auth","name":"{kind}","parameters":[{{"name":"client_id","value":'
                    f'"{client_id}"}},{{"name":"app_name","value":"{name}"}},{{"name":"client_type",'
                    f'"value":"WEB"}}{scope_param}]}}]}}')
            written += n
            token = f',"nextPageToken":"A:{written}"' if written < events else ""
            out.write('{"kind":"admin#reports#activities","items":[' + ",".join(items) + "]" + token + "}\n")


def child(log: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vendorvet.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from vendorvet.web.accounts.models import Membership, Tenant
    from vendorvet.web.core.context import Actor, tenant_session
    from vendorvet.web.discovery.importer import run_import
    from vendorvet.web.discovery.models import DiscoveredApp, Grant

    call_command("migrate", verbosity=0)
    tenant = Tenant.objects.create(name="Bench GmbH", slug="bench")
    user = get_user_model().objects.create_user("bench", password="bench-Passwort-2025")
    with tenant_session(tenant, Actor.system("bench")):
        Membership.objects.create(user=user, role="admin")
    actor = Actor(kind="cli", label="bench (cli)", user=user, role="admin")
    with tenant_session(tenant, actor):
        t0, c0 = time.perf_counter(), time.process_time()
        report = run_import("google_tokens", [log])
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        counts = {"records": report.run.records, "apps": DiscoveredApp.objects.count(),
                  "grants": Grant.objects.count(), "revoked_grants": Grant.objects.filter(status="revoked").count(),
                  "integrations_created": report.run.integrations_created}
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, **counts}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--child", metavar="LOG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="vendorvet-bench-discovery-") as tmp:
        log = Path(tmp) / "token_activity.json"
        t0 = time.perf_counter()
        write_log(log, args.events)
        print(f"generated {args.events:,} events, {log.stat().st_size / 1048576:.0f} MB, "
              f"in {time.perf_counter() - t0:.1f} s")
        env = {**os.environ, "VENDORVET_DATA_DIR": str(Path(tmp) / "data")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        if args.database == "postgresql":
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                            "DROP DATABASE IF EXISTS vendorvet_bench_discovery", "-c",
                            "CREATE DATABASE vendorvet_bench_discovery"], check=True)
            env["DATABASE_URL"] = PG_URL
        else:
            env.pop("DATABASE_URL", None)
        t1 = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", str(log)], env=env, capture_output=True,
                              text=True)
        total = time.perf_counter() - t1
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ok_time, ok_rss = result["seconds"] < TARGET_SECONDS, rss_mb < TARGET_RSS_MB
    load = os.getloadavg()[0]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores (load average "
          f"{load:.1f} at the end), Python {platform.python_version()}, database {args.database}")
    print(f"import: {result['records']:,} events -> {result['apps']} apps, {result['grants']:,} grants "
          f"({result['revoked_grants']:,} revoked), {result['integrations_created']} proposed integrations")
    print(f"import wall time {result['seconds']:.1f} s (child process incl. start-up and migrations {total:.1f} s)"
          f"  target < {TARGET_SECONDS:.0f} s  {'PASS' if ok_time else 'FAIL'}")
    print(f"CPU time of the import {result['cpu_seconds']:.1f} s (wall time above this is waiting: other load, "
          "database)")
    print(f"peak memory (max RSS of the import process) {rss_mb:.0f} MB  target < {TARGET_RSS_MB:.0f} MB  "
          f"{'PASS' if ok_rss else 'FAIL'}")
    return 0 if ok_time and ok_rss else 1


if __name__ == "__main__":
    sys.exit(main())
