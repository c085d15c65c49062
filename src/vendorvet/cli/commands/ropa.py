"""``vendorvet ropa export`` (earlier ``export-ropa``): the record of processing activities (GDPR Art. 30) as XLSX or CSV."""

from __future__ import annotations

import argparse
import os
import sys

from vendorvet.cli.options import add_command, add_format_argument, add_group
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments


HELP = "export the record of processing activities (GDPR Art. 30) as XLSX or CSV"


def register(subparsers) -> None:
    actions = add_group(subparsers, "ropa", help="the record of processing activities (GDPR Art. 30)")
    add_command(actions, "export", _configure, help=HELP, old_names=[(subparsers, "export-ropa")], description=(
        "Generate the record of processing activities from the inventory: the controller's record (Art. 30(1)) "
        "or, with --view processor, the processor's record (Art. 30(2)). Needs the export permission in the "
        "tenant."))


def _configure(p) -> None:
    add_format_argument(p, ("xlsx", "csv"), default="xlsx", short=True)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (required for xlsx; CSV default: stdout)")
    p.add_argument("--view", choices=("controller", "processor"), default="controller")
    p.add_argument("--language", choices=("en", "de"), default=None,
                   help="language of headers and values (default: the installation's)")
    p.add_argument("--delimiter", choices=(";", ",", "tab"), default=";")
    add_actor_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise CLIError("xlsx is binary: name an output file with -o FILE", 2)
    with acting_in_tenant(args):
        from django.conf import settings

        from vendorvet.web.accounts import roles
        from vendorvet.web.core.security import audit
        from vendorvet.web.legal import ropa

        roles.require(roles.EXPORT)
        language = args.language or settings.LANGUAGE_CODE[:2]
        data = ropa.build(args.view, language)
        audit("export.ropa", format=args.format, view=args.view)
        if args.format == "xlsx":
            tmp = f"{args.output}.part"
            try:
                with open(tmp, "wb") as fh:
                    count = ropa.write_xlsx(data, fh)
                os.replace(tmp, args.output)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        else:
            delimiter = "\t" if args.delimiter == "tab" else args.delimiter
            count = len(data["rows"])
            if args.output:
                with open(args.output, "w", encoding="utf-8", newline="") as fh:
                    fh.writelines(ropa.iter_csv(data, delimiter))
            else:
                sys.stdout.writelines(ropa.iter_csv(data, delimiter))
                sys.stdout.flush()
        where = args.output or "standard output"
        print(f"{count} processing activities written to {where}", file=sys.stderr)
    return 0
