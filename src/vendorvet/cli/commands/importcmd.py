"""``vendorvet import FILE``: import a CSV/XLSX inventory (dry run, partial, row-by-row plan)."""

from __future__ import annotations

import argparse
import sys

from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import",
        help="import integrations from a CSV or XLSX spreadsheet",
        description="Import an inventory spreadsheet (CSV or XLSX, German or English headers). "
        "Rows are matched by vendor and integration name (case-insensitive). The import is one "
        "transaction: if any row is rejected, nothing is stored unless --partial is given.",
    )
    p.add_argument("file", metavar="FILE", help="the CSV or XLSX file")
    p.add_argument("--dry-run", action="store_true", help="show what would change; store nothing")
    p.add_argument("--partial", action="store_true", help="store the valid rows even if others are rejected")
    p.add_argument("--quiet", "-q", action="store_true", help="list only rejected rows and the summary")
    add_actor_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with acting_in_tenant(args) as tenant:
        from django.conf import settings
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):  # messages in the installation's language
            return _run(args, tenant)


def _run(args: argparse.Namespace, tenant) -> int:
    from vendorvet.web.inventory.io.importer import REJECTED, UNCHANGED, run_import
    from vendorvet.web.inventory.io.safety import ImportFileError

    try:
        report = run_import(args.file, dry_run=args.dry_run, partial=args.partial)
    except FileNotFoundError:
        raise CLIError(f"no such file: {args.file}") from None
    except IsADirectoryError:
        raise CLIError(f"{args.file} is a directory") from None
    except ImportFileError as exc:
        raise CLIError(f"{args.file}: {exc}") from None
    out = sys.stdout
    if report.ignored_headers:
        out.write("ignored columns: " + ", ".join(report.ignored_headers) + "\n")
    for r in report.rows:
        if args.quiet and r.action != REJECTED:
            continue
        line = f"row {r.row:>5}  {r.action:<9}  {r.vendor} / {r.name}"
        if r.changes and r.action != UNCHANGED:
            line += "  [" + ", ".join(r.changes) + "]"
        out.write(line + "\n")
        for header, message in r.errors:
            out.write(f"           {header + ': ' if header else ''}{message}\n")
    c = report.counts
    summary = (f"{len(report.rows)} rows: {c['created']} created, {c['updated']} updated, "
               f"{c['unchanged']} unchanged, {c['rejected']} rejected; "
               f"{report.vendors_created} new vendors (tenant {tenant.slug})")
    out.write(summary + "\n")
    if args.dry_run:
        out.write("dry run: nothing was stored\n")
    elif report.applied and report.has_rejections:
        out.write("partial import: the valid rows were stored, the rejected rows were not\n")
    elif report.applied:
        out.write("import stored\n")
    else:
        out.write("nothing was stored: fix the rejected rows or use --partial\n")
    return 1 if report.has_rejections else 0
