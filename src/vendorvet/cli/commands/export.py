"""``vendorvet export --format csv|xlsx|json``: the (filtered) inventory to stdout or a file."""

from __future__ import annotations

import argparse
import os
import sys

from vendorvet.cli.options import add_format_argument
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments

FILTERS = ("q", "status", "tier", "data_category", "department", "vendor", "kind", "sort")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="export integrations as CSV, XLSX or JSON",
        description="Export the tenant's integrations with the same filters as the inventory list. "
        "CSV and XLSX use the import columns, so an export can be edited and imported again.",
    )
    add_format_argument(p, ("csv", "xlsx", "json"), default="csv", short=True)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (required for xlsx; default: stdout)")
    p.add_argument("--delimiter", choices=(";", ",", "tab"), default=";",
                   help="CSV delimiter (default ';' as German Excel expects)")
    p.add_argument("--language", choices=("en", "de"), default=None,
                   help="language of CSV/XLSX headers and labels (default: the installation's)")
    p.add_argument("--q", help="search text (name, vendor, purpose, department, owner)")
    p.add_argument("--status", help="e.g. approved, in_review")
    p.add_argument("--tier", help="1 (critical) … 4 (low)")
    p.add_argument("--data-category", dest="data_category", help="e.g. personal, health")
    p.add_argument("--department")
    p.add_argument("--vendor", help="vendor id")
    p.add_argument("--kind", help="e.g. saas, api")
    p.add_argument("--sort", help="name, -name, vendor, status, tier, department, updated …")
    add_actor_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise CLIError("xlsx is binary: name an output file with -o FILE", 2)
    with acting_in_tenant(args):
        from django.conf import settings
        from django.utils import translation

        from vendorvet.web.core.security import audit
        from vendorvet.web.inventory.io import exporter
        from vendorvet.web.inventory.queries import IntegrationFilter

        params = {name: str(getattr(args, name)) for name in FILTERS if getattr(args, name) not in (None, "")}
        qs = exporter.export_queryset(IntegrationFilter.from_params(params))
        audit("export.inventory", format=args.format, filters=sorted(params))
        language = args.language or settings.LANGUAGE_CODE
        delimiter = "\t" if args.delimiter == "tab" else args.delimiter
        with translation.override(language):
            if args.format == "xlsx":
                tmp = f"{args.output}.part"
                try:
                    with open(tmp, "wb") as fh:
                        count = exporter.write_xlsx(qs, fh, language=language)
                    os.replace(tmp, args.output)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
                print(f"{count} integrations written to {args.output}", file=sys.stderr)
                return 0
            lines = (exporter.iter_csv(qs, delimiter=delimiter, language=language) if args.format == "csv"
                     else exporter.iter_json(qs))
            if args.output:
                with open(args.output, "w", encoding="utf-8", newline="") as fh:
                    for line in lines:
                        fh.write(line)
            else:
                out = sys.stdout
                for line in lines:
                    out.write(line)
                out.flush()
    return 0
