#!/usr/bin/env python
"""Benchmark: the dashboard and the service-provider overview on large tenants.

  * dashboard: one tenant with 10,000 integrations and 100,000 open monitoring findings (events across
    severities and kinds) — p95 of ``GET /dashboard/`` over --runs requests;
  * provider view: one user in 50 tenants × 1,000 integrations (and 1,000 findings each) — p95 of
    ``GET /dashboard/tenants/``.

Runs against a fresh database: a new SQLite file in a temporary data directory (default), or PostgreSQL with
``--database postgresql`` (database ``vendorvet_bench_dashboard``, dropped and created). Requests go through
Django's test client in this process (the full middleware stack, no network).

Usage:  .venv/bin/python bench/dashboard.py [--database sqlite|postgresql] [--runs 30]
                                            [--integrations 10000] [--findings 100000] [--tenants 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench-password-not-secret-42"
PG_DB = os.environ.get("VENDORVET_BENCH_DASHBOARD_DB", "vendorvet_bench_dashboard")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
TARGET_DASHBOARD_P95 = 0.200  # seconds
TARGET_PROVIDER_P95 = 0.300
STATUSES = ["proposed", "in_review", "approved", "approved_with_conditions", "rejected", "retired"]
SEVERITIES = ["critical", "high", "medium", "low", "info"]
KINDS = ["finding_new", "grade_changed", "tls_cert_expiring", "review_overdue", "vendor_cert_expiring",
         "risk_acceptance_expiring", "dpa_missing"]


def _setup(database: str) -> None:
    src = Path(__file__).resolve().parents[1] / "src"
    sys.path.insert(0, str(src))
    os.environ["VENDORVET_DATA_DIR"] = tempfile.mkdtemp(prefix="vv-bench-dashboard-")
    if database == "postgresql":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "vendorvet.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fill(tenant, user, integrations: int, findings: int, role: str = "admin") -> None:
    from django.db import transaction
    from django.utils import timezone

    from vendorvet.web.accounts.models import Membership
    from vendorvet.web.core.context import Actor, tenant_session
    from vendorvet.web.inventory.models import Integration, Vendor
    from vendorvet.web.monitoring.models import MonitoringEvent

    now = timezone.now()
    with transaction.atomic(), tenant_session(tenant, Actor(kind="system", label="bench", role="admin")):
        Membership.objects.create(user=user, role=role)
        vendors = Vendor.all_tenants.bulk_create(
            [Vendor(tenant=tenant, name=f"Vendor {v:04d} GmbH", country="DE") for v in range(max(integrations // 10, 1))])
        rows = [Integration(tenant=tenant, vendor=vendors[i % len(vendors)], name=f"Integration {i:06d}",
                            status=STATUSES[i % len(STATUSES)], tier=1 + i % 4) for i in range(integrations)]
        Integration.all_tenants.bulk_create(rows, batch_size=2000)
        ids = list(Integration.all_tenants.filter(tenant=tenant).values_list("id", flat=True))
        events = [MonitoringEvent(tenant=tenant, integration_id=ids[i % len(ids)], kind=KINDS[i % len(KINDS)],
                                  severity=SEVERITIES[i % len(SEVERITIES)], dedup_key=f"bench:{i}",
                                  title=f"finding {i}", first_seen=now, last_seen=now,
                                  state="open" if i % 3 else "acknowledged") for i in range(findings)]
        MonitoringEvent.all_tenants.bulk_create(events, batch_size=5000)


def _p95(client, path: str, runs: int) -> tuple[float, float]:
    client.get(path)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    times.sort()
    return times[max(int(round(0.95 * len(times))) - 1, 0)], statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--integrations", type=int, default=10_000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--tenant-integrations", type=int, default=1_000)
    args = parser.parse_args()
    _setup(args.database)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from vendorvet.web.accounts.models import Tenant

    user = get_user_model().objects.create_user("bench", password=PASSWORD)
    big = Tenant.objects.create(name="Benchmark Groß GmbH", slug="bench-big")
    started = time.perf_counter()
    _fill(big, user, args.integrations, args.findings)
    print(f"loaded {args.integrations} integrations and {args.findings} findings in "
          f"{time.perf_counter() - started:.1f} s ({connection.vendor})")
    client = Client(HTTP_HOST="localhost")
    assert client.login(username="bench", password=PASSWORD)
    p95, median = _p95(client, "/dashboard/", args.runs)
    ok = p95 <= TARGET_DASHBOARD_P95
    print(f"dashboard: p95 {p95 * 1000:.0f} ms, median {median * 1000:.0f} ms "
          f"(target {TARGET_DASHBOARD_P95 * 1000:.0f} ms) {'PASS' if ok else 'FAIL'}")

    provider = get_user_model().objects.create_user("provider", password=PASSWORD)
    started = time.perf_counter()
    for t in range(args.tenants):
        tenant = Tenant.objects.create(name=f"Mandant {t:02d} GmbH", slug=f"bench-{t:02d}")
        _fill(tenant, provider, args.tenant_integrations, args.tenant_integrations, role="auditor")
    print(f"loaded {args.tenants} tenants × {args.tenant_integrations} integrations in "
          f"{time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="localhost")
    assert client.login(username="provider", password=PASSWORD)
    p95_p, median_p = _p95(client, "/dashboard/tenants/", max(args.runs // 3, 5))
    ok_p = p95_p <= TARGET_PROVIDER_P95
    print(f"provider view: p95 {p95_p * 1000:.0f} ms, median {median_p * 1000:.0f} ms "
          f"(target {TARGET_PROVIDER_P95 * 1000:.0f} ms) {'PASS' if ok_p else 'FAIL'}")
    return 0 if ok and ok_p else 1


if __name__ == "__main__":
    sys.exit(main())
