#!/usr/bin/env python
"""Benchmark: the audit pack PDF of a 37-point review with 50 evidence files (target < 3 s).

Builds, in a fresh database, the reviewed integration of ``tests/reports/world.py`` (tier 3, personal data sent
to a third country: 37 checklist points with every answer kind, 50 uploaded evidence files, a decision with a
condition and a risk acceptance, a scan, the legal records) and prints, over --runs runs, the time of the whole
audit pack — reading the data, rendering the HTML template and printing it with WeasyPrint — plus the management
report for comparison.

The peer: the very same HTML (with the same print stylesheet) printed by headless Chromium's print-to-PDF
through Playwright (a warm browser, ``page.set_content`` + ``page.pdf``), timed the same way. Shown, not judged.

Usage:  .venv/bin/python bench/pdf_reports.py [--database sqlite|postgresql] [--runs 10] [--evidence 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/vendorvet_bench_pdf"
TARGET_SECONDS = 3.0
CHROMIUM = os.environ.get("VENDORVET_CHROMIUM", "/usr/bin/chromium")


def _setup(database: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    data_dir = tempfile.mkdtemp(prefix="vv-bench-pdf-")
    os.environ["VENDORVET_DATA_DIR"] = data_dir
    if database == "postgresql":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS vendorvet_bench_pdf")
            conn.execute("CREATE DATABASE vendorvet_bench_pdf")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "vendorvet.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _world(evidence: int):
    from django.contrib.auth import get_user_model

    from tests.reports.world import acting, build_review
    from vendorvet.web.accounts.models import Membership, Tenant

    tenant = Tenant.objects.create(name="Bench Maschinenbau GmbH", slug="bench")
    users = {}
    for name, role in (("bench.assessor", "assessor"), ("bench.admin", "admin")):
        users[role] = get_user_model().objects.create_user(username=name, password="x" * 20)
        with acting(tenant):
            Membership.objects.create(user=users[role], role=role)
    integration, assessment = build_review(tenant, users["assessor"], users["admin"], evidence=evidence)
    return tenant, users["admin"], integration, assessment


def _stats(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95, ordered[-1]


def _chromium_peer(html: str, runs: int) -> list[float] | str:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "Playwright is not installed (pip install '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.route("**/*", lambda route: route.abort())  # no requests, like the WeasyPrint side
        for i in range(runs + 1):
            start = time.perf_counter()
            page.set_content(html)
            body = page.pdf(format="A4", print_background=True)
            if i:  # the first run warms up the browser
                times.append(time.perf_counter() - start)
        browser.close()
    assert body.startswith(b"%PDF-")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--evidence", type=int, default=50)
    parser.add_argument("--no-peer", action="store_true", help="skip the Chromium comparison")
    parser.add_argument("--html-out", metavar="FILE", help="also write the printed HTML (stylesheet inlined) to FILE, "
                        "to print it with another tool")
    args = parser.parse_args()
    _setup(args.database)

    from pypdf import PdfReader
    import io

    from tests.reports.world import acting
    from vendorvet.web.reports import audit_pack, documents, pdf

    tenant, admin, integration, assessment = _world(args.evidence)
    load_before = os.getloadavg()[0]
    with acting(tenant, admin, role="admin"):
        points = assessment.answers.count()
        documents.audit_pack_pdf(integration, "de")  # warm-up: templates, fonts
        times, cpu, management = [], [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            printed, data, _rows = documents.audit_pack_pdf(integration, "de")
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        for _ in range(max(3, args.runs // 3)):
            start = time.perf_counter()
            documents.management_pdf("de")
            management.append(time.perf_counter() - start)
        data, _rows = audit_pack.build(integration, "de", tenant.name)
        html, _digest, _generated = pdf.render_html("reports/print/audit_pack.html", data, "de", documents.branding())
    css = pdf.STYLESHEET.read_text(encoding="utf-8")
    peer_html = html.replace("</head>", f"<style>{css}</style></head>", 1)
    if args.html_out:
        Path(args.html_out).write_text(peer_html, encoding="utf-8")
    pages = len(PdfReader(io.BytesIO(printed.pdf)).pages)
    load_after = os.getloadavg()[0]

    median, p95, worst = _stats(times)
    verdict = "PASS" if p95 < TARGET_SECONDS else "FAIL"
    print(f"audit pack: {points} checklist points, {len(data['evidence'])} evidence files, {pages} pages, "
          f"{len(printed.pdf) // 1024} KB; {args.database}; {args.runs} runs after 1 warm-up; "
          f"{os.cpu_count()} CPUs, load average {load_before:.1f} before / {load_after:.1f} after")
    print()
    print("| document | median s | p95 s | max s | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| audit pack PDF (data + HTML + WeasyPrint) | {median:.2f} | {p95:.2f} | {worst:.2f} | "
          f"< {TARGET_SECONDS:.0f} s: {verdict} |")
    c_median, c_p95, c_worst = _stats(cpu)
    print(f"| audit pack PDF, CPU time of this process (load-independent) | {c_median:.2f} | {c_p95:.2f} | "
          f"{c_worst:.2f} | (shown) |")
    m_median, m_p95, m_worst = _stats(management)
    print(f"| management report PDF | {m_median:.2f} | {m_p95:.2f} | {m_worst:.2f} | (shown) |")
    if not args.no_peer:
        peer = _chromium_peer(peer_html, args.runs)
        if isinstance(peer, str):
            print(f"| peer: Chromium print-to-PDF of the same HTML | – | – | – | not run: {peer} |")
        else:
            c_median, c_p95, c_worst = _stats(peer)
            print(f"| peer: Chromium print-to-PDF of the same HTML (warm browser, PDF step only) | {c_median:.2f} | "
                  f"{c_p95:.2f} | {c_worst:.2f} | (shown) |")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
