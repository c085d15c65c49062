#!/usr/bin/env python
"""Benchmark: the inventory list of two source trees side by side, requests interleaved (A/B).

``bench/inventory_list.py`` run once per commit compares runs made minutes apart; on a shared machine the
run-to-run drift (±15 % here) is as large as the differences looked for. This script starts both trees'
servers at once, each on its own database filled by that tree's own loader (the same seed, so the same
10,000 integrations), and asks the same request of each in turn — base then head, head then base, alternating
— so drift hits both sides alike. It prints median and p95 per side and the head/base ratio of the medians.

Usage:  git worktree add --detach /tmp/vv-base <commit>
        PYTHONPATH=src .venv/bin/python bench/ab_inventory_list.py --base /tmp/vv-base [--head .]
                                      [--requests 60] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inventory_list as il  # noqa: E402  (the same variants, client and data as the single-tree benchmark)

PG_BASE = "postgres://postgres@127.0.0.1:5432/"


def _variants(tree: Path) -> dict[str, str]:
    """The tree's own benchmark variants, by label."""
    script = tree / "bench" / "inventory_list.py"
    spec = importlib.util.spec_from_file_location(f"inventory_list_{abs(hash(tree))}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.WEB_VARIANTS + module.API_VARIANTS)


class Side:
    """One source tree: its database, its loader, its server, its logged-in clients."""

    def __init__(self, name: str, tree: Path, db: str, args):
        self.name, self.tree, self.db = name, tree, db
        self.workdir = Path(tempfile.mkdtemp(prefix=f"vendorvet-ab-{name}-{db}-"))
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "SECRET_KEY", "VENDORVET_SECRET_KEY", "VENDORVET_DEBUG",
                                 "DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
        self.env.update(VENDORVET_DATA_DIR=str(self.workdir), VENDORVET_LOG_LEVEL="WARNING",
                        PYTHONPATH=str(tree / "src"))
        if db == "postgresql":
            url = PG_BASE + f"vendorvet_ab_{name}"
            il.recreate_pg_database(url)
            self.env["DATABASE_URL"] = url
        out = self.workdir / "bench.json"
        subprocess.run([sys.executable, str(tree / "bench" / "inventory_list.py"), "_setup", "--rows",
                        str(args.rows), "--vendors", str(args.vendors), "--out", str(out)], env=self.env, check=True)
        self.info = json.loads(out.read_text(encoding="utf-8"))
        self.port = il.free_port()
        self.server = subprocess.Popen(
            [sys.executable, "-m", "vendorvet.cli.main", "serve", "--no-worker", "--no-monitor", "--port",
             str(self.port), "--threads", str(args.threads)], env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"[{name} {db}] the server did not start")
                time.sleep(0.2)
        self.web = il.Client(self.port)
        self.web.login(self.info["username"], self.info["password"])
        self.api = il.Client(self.port)
        self.token = {"Authorization": f"Token {self.info['token']}", "Accept": "application/json"}
        self.paths = _variants(tree)  # label -> path in this tree (API paths were renamed by #12)

    def get(self, label: str, api: bool) -> float:
        path = self.paths[label]
        client, headers = (self.api, self.token) if api else (self.web, None)
        start = time.perf_counter()
        status, _h, body = client.request("GET", path, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200 or not body:
            raise SystemExit(f"[{self.name}] GET {path} answered HTTP {status}")
        return elapsed

    def close(self, keep: bool) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def compare(db: str, args) -> list[dict]:
    sides = []
    try:
        for name, tree in (("base", args.base), ("head", args.head)):
            started = time.perf_counter()
            sides.append(Side(name, tree, db, args))
            print(f"[{db}] {name}: {sides[-1].info['integrations']} integrations loaded and served from {tree} "
                  f"in {time.perf_counter() - started:.1f} s", flush=True)
        base, head = sides
        rows = []
        plan = [(label, False) for label, _path in il.WEB_VARIANTS] + [(label, True) for label, _p in il.API_VARIANTS]
        for label, api in plan:
            if label not in base.paths:
                print(f"[{db}] {label}: not in the base tree's benchmark, skipped")
                continue
            for _ in range(args.warmup):
                base.get(label, api), head.get(label, api)
            times = {"base": [], "head": []}
            for i in range(args.requests):
                for side in ((base, head) if i % 2 == 0 else (head, base)):
                    times[side.name].append(side.get(label, api))
            row = {"database": db, "variant": label, **{
                f"{name}_{what}": fn(values) for name, values in times.items()
                for what, fn in (("median", statistics.median), ("p95", il.p95))}}
            row["ratio"] = row["head_median"] / row["base_median"]
            rows.append(row)
            print(f"[{db}] {label:30} base {row['base_median']:6.1f} / {row['base_p95']:6.1f} ms   head "
                  f"{row['head_median']:6.1f} / {row['head_p95']:6.1f} ms   head/base {row['ratio']:.2f}", flush=True)
        return rows
    finally:
        for side in sides:
            side.close(args.keep)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="source tree of the base (a git worktree)")
    parser.add_argument("--head", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--vendors", type=int, default=300)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per variant and side")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.base, args.head = args.base.resolve(), args.head.resolve()
    for tree in (args.base, args.head):
        if not (tree / "src" / "vendorvet").is_dir() or not (tree / "bench" / "inventory_list.py").is_file():
            parser.error(f"{tree} is no vendorvet source tree with bench/inventory_list.py")
    load = os.getloadavg()[0]
    rows = []
    for db in [d.strip() for d in args.databases.split(",") if d.strip()]:
        rows += compare(db, args)
    print()
    print(f"{args.rows:,} integrations; {args.requests} requests per variant and side, interleaved; waitress with "
          f"{args.threads} threads; Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{load:.1f} before / {os.getloadavg()[0]:.1f} after")
    print(f"base {args.base}, head {args.head}")
    print()
    print("| database | variant | base median / p95 ms | head median / p95 ms | head ÷ base (median) |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['database']} | {r['variant']} | {r['base_median']:.1f} / {r['base_p95']:.1f} | "
              f"{r['head_median']:.1f} / {r['head_p95']:.1f} | {r['ratio']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
