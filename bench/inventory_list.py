#!/usr/bin/env python
"""Benchmark: the inventory list (web page and API) at 10,000 integrations, on SQLite and PostgreSQL.

For each database the script
  1. creates a fresh database (a new SQLite file in a temporary data directory; the PostgreSQL
     database ``vendorvet_bench``, dropped and created again), applies the migrations and creates
     10,000 integrations of ~300 vendors in one tenant (varied departments, statuses, data categories),
  2. starts the real WSGI application under waitress (``vendorvet serve``) in a subprocess on 127.0.0.1,
  3. logs in through the login form (session cookie) and uses an API token (``APIToken.issue``),
  4. times N sequential requests per variant after a warm-up, and prints median and p95 in ms with
     PASS/FAIL against the target p95 < 150 ms. Django's own admin changelist over the same rows is
     timed beside ours as the peer.

Usage:  .venv/bin/python bench/inventory_list.py [--requests 50] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

TARGET_P95_MS = 150.0
PASSWORD = "bench-Passwort-Elbe-2025"
PG_URL = "postgres://postgres@127.0.0.1:5432/vendorvet_bench"

# (label, path) — ours are judged against the target; the admin is the peer, shown for comparison.
WEB_VARIANTS = [
    ("web list, page 1", "/integrations/"),
    ("web filtered+sorted, page 1", "/integrations/?status=approved&data_category=personal&sort=-tier"),
    ("web deep page (150)", "/integrations/?page=150"),
    ("web search q=cloud", "/integrations/?q=cloud"),
]
API_VARIANTS = [
    ("API list, page 1", "/api/inventory/integrations/"),
    ("API filtered+sorted, page 1", "/api/inventory/integrations/?status=approved&data_category=personal&ordering=-tier"),
    ("API deep page (150)", "/api/inventory/integrations/?page=150"),
    ("API search q=cloud", "/api/inventory/integrations/?q=cloud"),
]
ADMIN_VARIANTS = [
    ("admin changelist, page 1 (peer)", "/admin/inventory/integration/"),
    ("admin deep page (peer)", "/admin/inventory/integration/?p=50"),
    ("admin search q=cloud (peer)", "/admin/inventory/integration/?q=cloud"),
]

# -- data ------------------------------------------------------------------------------------------
PREFIXES = ["Nord", "Alpen", "Rhein", "Hansa", "Blue", "Cloud", "Data", "Secure", "Smart", "Pixel", "Elbe",
            "Quantum", "Bright", "Iron", "Silver", "Green", "Atlas", "Nova", "Polar", "Vector"]
ROOTS = ["soft", "ware", "base", "flow", "desk", "hub", "works", "link", "sync", "stack", "logic", "mind",
         "point", "ly"]
LEGAL = [("GmbH", "DE"), ("AG", "DE"), ("SE", "DE"), ("Inc.", "US"), ("LLC", "US"), ("Ltd", "GB"),
         ("Limited", "IE"), ("B.V.", "NL"), ("SAS", "FR"), ("ApS", "DK"), ("Oy", "FI"), ("AB", "SE"),
         ("GmbH", "AT"), ("AG", "CH"), ("sp. z o.o.", "PL")]
PRODUCTS = ["CRM", "Analytics", "Connector", "Portal", "API", "Sync", "Backup", "Mail", "Forms", "Chat",
            "Planner", "Payroll", "Ticketing", "Wiki", "Signature", "Monitoring", "Scheduler", "Shop", "Survey",
            "Translator", "Storage", "VPN", "Password Manager", "Cloud Drive"]
DEPARTMENTS = ["IT", "Sales", "Marketing", "HR", "Finance", "Engineering", "Service", "Purchasing",
               "Production", "Logistics", "Legal", "Management"]
STATUSES = (["approved"] * 40 + ["approved_with_conditions"] * 15 + ["in_review"] * 15 + ["proposed"] * 15
            + ["rejected"] * 7 + ["retired"] * 8)
CATEGORIES = ["personal", "internal", "financial", "credentials", "health", "special_category"]
COUNTRIES = ["DE", "IE", "NL", "FR", "US", "GB", "CH", "SE", "PL", "IN", "AT", "DK"]
KINDS = ["saas"] * 6 + ["api"] * 2 + ["plugin", "agent", "oauth_app"]
SCOPES = ["", "read", "read", "write", "write", "admin", "tenant_wide"]
IMPACTS = ["", "low", "low", "medium", "medium", "high", "critical"]
TAGS = ["core", "sso", "third-country", "eu-hosting", "shadow-it", "legacy", "pilot", "webshop"]


def populate(rows: int, vendors: int, seed: int = 20260101) -> dict:
    """Fresh schema + one tenant with ``rows`` integrations; returns login and token for the client."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from vendorvet.web.accounts.models import APIToken, Membership, Tenant
    from vendorvet.web.core.context import Actor, tenant_session
    from vendorvet.web.inventory.models import Integration, Vendor

    call_command("migrate", interactive=False, verbosity=0)
    rnd = random.Random(seed)
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", PASSWORD)
    tenant = Tenant.objects.create(name="Benchmark Maschinenbau GmbH", slug="bench")
    actor = Actor(kind="system", label="benchmark loader", user=user, role="admin")
    with transaction.atomic(), tenant_session(tenant, actor):
        Membership.objects.create(user=user, role="admin")
        names = set()
        vendor_objs = []
        while len(vendor_objs) < vendors:
            legal, country = rnd.choice(LEGAL)
            short = rnd.choice(PREFIXES) + rnd.choice(ROOTS)
            name = f"{short} {legal}" if f"{short} {legal}" not in names else f"{short} Cloud {legal}"
            if name in names:
                continue
            names.add(name)
            vendor_objs.append(Vendor(tenant=tenant, name=name, country=country,
                                      website=f"https://www.{short.lower()}.example"))
        Vendor.all_tenants.bulk_create(vendor_objs, batch_size=500)
        vendor_objs = list(Vendor.objects.order_by("id"))
        items = []
        for i in range(rows):
            vendor = vendor_objs[i % len(vendor_objs)]
            categories = ["none"] if rnd.random() < 0.12 else sorted(set(rnd.sample(CATEGORIES, rnd.randint(1, 3))))
            if "none" not in categories and rnd.random() < 0.5 and "personal" not in categories:
                categories = sorted(categories + ["personal"])
            product = rnd.choice(PRODUCTS)
            item = Integration(
                tenant=tenant, vendor=vendor, name=f"{vendor.name.split()[0]} {product} {i:05d}",
                kind=rnd.choice(KINDS), department=rnd.choice(DEPARTMENTS), status=rnd.choice(STATUSES),
                purpose=f"{product} for {rnd.choice(DEPARTMENTS).lower()}; "
                        f"{rnd.choice(['cloud service', 'on-prem', 'browser plugin', 'REST API'])}",
                business_owner=f"Owner {rnd.randint(1, 80):02d}",
                data_categories=categories, data_subjects=sorted(set(rnd.sample(
                    ["employees", "customers", "prospects", "suppliers", "applicants"], rnd.randint(0, 3)))),
                approx_users=rnd.randint(1, 2000), approx_records=rnd.choice([None, rnd.randint(10, 500000)]),
                processing_countries=sorted(set(rnd.sample(COUNTRIES, rnd.randint(1, 3)))),
                access_scope=rnd.choice(SCOPES), outage_impact=rnd.choice(IMPACTS),
                tags=sorted(set(rnd.sample(TAGS, rnd.randint(0, 2)))),
            )
            item.tier = item.tier_result().tier
            items.append(item)
        Integration.all_tenants.bulk_create(items, batch_size=1000)
        _token, key = APIToken.issue(user, "benchmark", days=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"username": "bench", "password": PASSWORD, "token": key,
            "integrations": Integration.all_tenants.filter(tenant=tenant).count(),
            "vendors": len(vendor_objs), "database": connection.vendor,
            "database_version": ".".join(map(str, connection.Database.sqlite_version_info))
            if connection.vendor == "sqlite" else f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"}


def setup_phase(rows: int, vendors: int, out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vendorvet.web.settings")
    import django

    django.setup()
    Path(out).write_text(json.dumps(populate(rows, vendors)), encoding="utf-8")


# -- client ----------------------------------------------------------------------------------------
class Client:
    """A keep-alive HTTP client with a cookie jar: one connection, like one browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        hdrs = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "en", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, data

    def login(self, username: str, password: str) -> None:
        status, _h, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise SystemExit(f"login page did not answer as expected (HTTP {status})")
        form = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), "username": username,
                          "password": password})
        status, headers, _b = self.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login failed (HTTP {status})")


def time_variant(client: Client, path: str, n: int, warmup: int, headers: dict | None = None) -> list[float]:
    for _ in range(warmup):
        status, _h, _b = client.request("GET", path, headers=headers)
        if status != 200:
            raise SystemExit(f"GET {path} answered HTTP {status}")
    times = []
    for _ in range(n):
        start = time.perf_counter()
        status, _h, body = client.request("GET", path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200 or not body:
            raise SystemExit(f"GET {path} answered HTTP {status}")
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# -- orchestration ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_pg_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing odd database name {name!r}")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         password=parts.password, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def bench_database(db: str, args: argparse.Namespace) -> list[dict]:
    workdir = Path(tempfile.mkdtemp(prefix=f"vendorvet-bench-{db}-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "VENDORVET_SECRET_KEY",
                                                            "VENDORVET_DEBUG", "DJANGO_SETTINGS_MODULE")}
    env["VENDORVET_DATA_DIR"] = str(workdir)
    env["VENDORVET_LOG_LEVEL"] = "WARNING"
    if db == "postgresql":
        recreate_pg_database(args.pg_url)
        env["DATABASE_URL"] = args.pg_url
    info_file = workdir / "bench.json"
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "_setup", "--rows", str(args.rows), "--vendors", str(args.vendors),
                    "--out", str(info_file)], env=env, check=True)
    info = json.loads(info_file.read_text(encoding="utf-8"))
    print(f"[{db}] {info['integrations']} integrations of {info['vendors']} vendors created in "
          f"{time.perf_counter() - started:.1f} s ({info['database']} {info['database_version']})", flush=True)

    port = free_port()
    # The web server alone: no task worker or monitoring scheduler competing for the two cores.
    server = subprocess.Popen([sys.executable, "-m", "vendorvet.cli.main", "serve", "--no-worker", "--no-monitor",
                               "--port", str(port), "--threads", str(args.threads)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"[{db}] the server did not start")
                time.sleep(0.2)
        web = Client(port)
        web.login(info["username"], info["password"])
        api = Client(port)
        token_header = {"Authorization": f"Token {info['token']}", "Accept": "application/json"}
        results = []
        plan = [(label, path, web, None, True) for label, path in WEB_VARIANTS]
        plan += [(label, path, api, token_header, True) for label, path in API_VARIANTS]
        plan += [(label, path, web, None, False) for label, path in ADMIN_VARIANTS]
        for label, path, client, headers, judged in plan:
            times = time_variant(client, path, args.requests, args.warmup, headers)
            results.append({"database": db, "variant": label, "path": path, "n": len(times),
                            "median_ms": statistics.median(times), "p95_ms": p95(times), "judged": judged})
            print(f"[{db}] {label:34} median {results[-1]['median_ms']:7.1f} ms   p95 {results[-1]['p95_ms']:7.1f} ms",
                  flush=True)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def print_table(results: list[dict], args: argparse.Namespace) -> bool:
    print()
    print(f"{args.rows:,} integrations, {args.vendors} vendors; {args.requests} sequential requests per variant "
          f"after {args.warmup} warm-up; waitress with {args.threads} threads; "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{args.load_before:.1f} before / {os.getloadavg()[0]:.1f} after")
    print()
    print("| database | variant | median ms | p95 ms | target p95 < 150 ms |")
    print("|---|---|---:|---:|---|")
    ok = True
    for r in results:
        if r["judged"]:
            verdict = "PASS" if r["p95_ms"] < TARGET_P95_MS else "FAIL"
            ok = ok and verdict == "PASS"
        else:
            verdict = "(peer, not judged)"
        print(f"| {r['database']} | {r['variant']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {verdict} |")
    print()
    print("overall:", "PASS" if ok else "FAIL")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("phase", nargs="?", default="run", choices=["run", "_setup"], help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per variant (default 50)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4, help="waitress threads (default 4)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("VENDORVET_BENCH_PG_URL", PG_URL))
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "_setup":
        setup_phase(args.rows, args.vendors, args.out)
        return 0
    args.load_before = os.getloadavg()[0]
    results = []
    for db in [d.strip() for d in args.databases.split(",") if d.strip()]:
        if db not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {db!r}")
        results += bench_database(db, args)
    ok = print_table(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
