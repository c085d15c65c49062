"""``vendorvet migrate``: create or update the database schema."""

from __future__ import annotations

import argparse

from vendorvet.cli.runtime import setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="create or update the database schema",
        description="Apply all pending database migrations (DATABASE_URL, else the SQLite file in the data "
        "directory). Quiet unless --verbose; safe to run repeatedly.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every migration applied")
    parser.set_defaults(func=run)


def apply_migrations(verbose: bool = False) -> None:
    """Apply pending migrations; used by ``migrate`` and ``demo``."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def pending_migrations() -> list[str]:
    """Names of migrations not yet applied to the configured database."""
    setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def run(args: argparse.Namespace) -> int:
    apply_migrations(verbose=args.verbose)
    if args.verbose:
        print("vendorvet: database is up to date")
    return 0
