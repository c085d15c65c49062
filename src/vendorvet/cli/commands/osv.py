"""``vendorvet osv import|status``: the offline OSV vulnerability database.

The database is a SQLite file in the data directory (``osv.sqlite3``; ``--db`` overrides).
Import osv.dev's per-ecosystem ``all.zip`` files (e.g. from
https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip, downloaded separately),
a directory of them, or single OSV JSON records. Re-importing is incremental: newer
``modified`` replaces, older is skipped, ``withdrawn`` records stop matching.

After an import into the installation's database (the one the web app uses), the added,
modified and withdrawn advisories are re-matched against every tenant's latest stored
SBOMs: new findings are stored and raise a monitoring event (``vulnerability_new``),
findings of withdrawn advisories are removed and their events resolved.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError
from vendorvet.engine.supplychain.store import STALE_AFTER_DAYS


def register(subparsers) -> None:
    parser = subparsers.add_parser("osv", help="import and inspect the offline OSV vulnerability database",
                                   description=__doc__.split("\n\n", 1)[1])
    actions = parser.add_subparsers(dest="osv_action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="import OSV records from all.zip files, a directory or JSON files")
    imp.add_argument("path", help="an all.zip, a directory, or an OSV JSON file")
    imp.add_argument("--db", help="database file (default: osv.sqlite3 in the data directory)")
    imp.add_argument("--no-rematch", action="store_true",
                     help="do not re-match the changed advisories against the stored SBOMs")
    imp.set_defaults(func=run_import)
    rm = actions.add_parser("rematch", help="re-match every advisory against the stored SBOMs (after a failed "
                                            "re-match, or to refresh all findings)")
    rm.set_defaults(func=run_rematch)
    st = actions.add_parser("status", help="record counts per ecosystem and the last import")
    st.add_argument("--db", help="database file (default: osv.sqlite3 in the data directory)")
    add_format_argument(st)
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
        rematched = None
        if stats.changed_ids and not args.no_rematch:
            rematched = rematch_stored(store, stats.changed_ids)
    print(f"Imported {args.path}: {stats.added} added, {stats.replaced} replaced, {stats.unchanged} unchanged, "
          f"{stats.withdrawn} withdrawn, {stats.invalid} invalid; {total} records in the database "
          f"({time.monotonic() - started:.1f} s).")
    for err in stats.errors[:20]:
        print(f"  skipped: {err}", file=sys.stderr)
    if len(stats.errors) > 20:
        print(f"  … and {len(stats.errors) - 20} more", file=sys.stderr)
    if rematched is not None:
        print(f"Stored SBOMs: {rematched.summary()}.")
        for err in rematched.errors:
            print(f"  re-match failed: {err}", file=sys.stderr)
        return 1 if rematched.errors else 0
    return 0


def run_rematch(args: argparse.Namespace) -> int:
    from vendorvet.cli.runtime import setup_django

    setup_django()
    from vendorvet.engine.supplychain.store import OsvStore
    from vendorvet.web.supplychain import services

    if not services.osv_path().exists():
        raise CLIError(f"no OSV database at {services.osv_path()}; run 'vendorvet osv import PATH' first")
    with OsvStore(services.osv_path()) as store:
        rematched = rematch_stored(store, store.all_ids())
    print(f"Stored SBOMs: {rematched.summary()}.")
    for err in rematched.errors:
        print(f"  re-match failed: {err}", file=sys.stderr)
    return 1 if rematched.errors else 0


def rematch_stored(store, changed_ids):
    """Re-match ``changed_ids`` if ``store`` is the installation's database; else None."""
    from vendorvet.cli.runtime import setup_django

    setup_django()
    from vendorvet.web.supplychain import rematch, services

    if store.path.resolve() != services.osv_path().resolve():
        return None  # another database than the one the stored SBOMs were matched against
    from django.db import DatabaseError

    try:
        return rematch.rematch(store, changed_ids)
    except DatabaseError as exc:  # the records are imported; say clearly what did not happen
        raise CLIError(f"the records were imported, but the stored SBOMs could not be re-matched: {exc} "
                       "(run 'vendorvet osv rematch' once the database is reachable)") from None


def status_of(db: str | None) -> dict:
    from vendorvet.engine.supplychain.store import database_status

    return database_status(db)


def config_problems(db: str | None = None) -> list[tuple[str, str]]:
    """check-config's OSV part: (level, message) — empty or stale vulnerability data is a warning."""
    status = status_of(db)
    if status["empty"]:
        return [("warning", f"the OSV vulnerability database at {status['path']} is empty: SBOM components are "
                            "not checked; run 'vendorvet osv import PATH' (osv.dev all.zip per ecosystem)")]
    if status["stale"]:
        age = f"{status['age_days']} days old" if status["age_days"] is not None else "of unknown age"
        return [("warning", f"the OSV vulnerability database is {age} (last import {status['imported_at']}); "
                            f"import a current dump (older than {STALE_AFTER_DAYS} days misses new advisories)")]
    return []


def run_status(args: argparse.Namespace) -> int:
    status = status_of(args.db)
    if args.format == "json":
        print(json.dumps(status, indent=2))
        return 0
    print(f"OSV database: {status['path']}")
    print(f"Records: {status['records']} ({status['withdrawn']} withdrawn)")
    age = f" ({status['age_days']} days ago)" if status["age_days"] is not None else ""
    print(f"Last import: {status['imported_at'] or 'never'}{age}; newest record modified: "
          f"{status['newest_modified'] or '-'}")
    if status["empty"]:
        print("EMPTY: SBOM components are not checked until OSV data is imported ('vendorvet osv import PATH').")
    elif status["stale"]:
        print(f"STALE: older than {STALE_AFTER_DAYS} days; import a current dump.")
    for eco, n in status["ecosystems"].items():
        print(f"  {eco:<12} {n}")
    return 0
