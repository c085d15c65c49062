"""``vendorvet osv import|status``: the offline OSV vulnerability database.

The database is a SQLite file in the data directory (``osv.sqlite3``; ``--db`` overrides).
Import osv.dev's per-ecosystem ``all.zip`` files (e.g. from
https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip, downloaded separately),
a directory of them, or single OSV JSON records. Re-importing is incremental: newer
``modified`` replaces, older is skipped, ``withdrawn`` records stop matching.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from vendorvet.cli.runtime import CLIError


def register(subparsers) -> None:
    parser = subparsers.add_parser("osv", help="import and inspect the offline OSV vulnerability database",
                                   description=__doc__.split("\n\n", 1)[1])
    actions = parser.add_subparsers(dest="osv_action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="import OSV records from all.zip files, a directory or JSON files")
    imp.add_argument("path", help="an all.zip, a directory, or an OSV JSON file")
    imp.add_argument("--db", help="database file (default: osv.sqlite3 in the data directory)")
    imp.set_defaults(func=run_import)
    st = actions.add_parser("status", help="record counts per ecosystem and the last import")
    st.add_argument("--db", help="database file (default: osv.sqlite3 in the data directory)")
    st.add_argument("--format", choices=["table", "json"], default="table")
    st.set_defaults(func=run_status)


def open_store(db: str | None):
    from vendorvet.engine.supplychain.store import OsvStore, default_path

    return OsvStore(db or default_path())


def run_import(args: argparse.Namespace) -> int:
    from vendorvet.engine.supplychain.store import ImportError_

    started = time.monotonic()
    with open_store(args.db) as store:
        try:
            stats = store.import_path(args.path)
        except ImportError_ as exc:
            raise CLIError(str(exc)) from None
        total = store.status()["records"]
    print(f"Imported {args.path}: {stats.added} added, {stats.replaced} replaced, {stats.unchanged} unchanged, "
          f"{stats.withdrawn} withdrawn, {stats.invalid} invalid; {total} records in the database "
          f"({time.monotonic() - started:.1f} s).")
    for err in stats.errors[:20]:
        print(f"  skipped: {err}", file=sys.stderr)
    if len(stats.errors) > 20:
        print(f"  … and {len(stats.errors) - 20} more", file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        status = store.status()
    if args.format == "json":
        print(json.dumps(status, indent=2))
        return 0
    print(f"OSV database: {status['path']}")
    print(f"Records: {status['records']} ({status['withdrawn']} withdrawn)")
    print(f"Last import: {status['last_import'] or 'never'}; newest record modified: "
          f"{status['newest_modified'] or '-'}")
    for eco, n in status["ecosystems"].items():
        print(f"  {eco:<12} {n}")
    return 0
