"""``vendorvet transfer check`` (earlier ``transfer-check``): which transfer tool a vendor relationship needs — no database.

Runs the pure transfer engine (``vendorvet.engine.transfer``) on the facts given as options and
prints its answer as JSON (or as readable text), with the reasoning step by step.
"""

from __future__ import annotations

import argparse
import json
import sys

from vendorvet.cli.options import add_command, add_format_argument, add_group
from vendorvet.cli.runtime import CLIError

EPILOG = """examples:
  vendorvet transfer check --our-role controller --vendor-role processor --vendor-country US --dpf no
  vendorvet transfer check --our-role controller --vendor-role processor --vendor-country DE \\
      --parent-country US --sub-processor IN --sub-processor US:dpf=yes --data-categories personal,health
An unknown DPF (or PIPEDA) status counts as not certified."""


def _csv(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def register(subparsers) -> None:
    actions = add_group(subparsers, "transfer", help="third-country transfers (GDPR Chapter V)")
    add_command(
        actions, "check", _configure, old_names=[(subparsers, "transfer-check")],
        help="assess a third-country transfer (adequacy, DPF, SCC module, TIA) without the database",
        description="State whether data going to a vendor leaves the EEA and on which basis (adequacy "
        "decision, EU-US Data Privacy Framework, standard contractual clauses with the module of "
        "Decision (EU) 2021/914 and a transfer impact assessment), plus jurisdiction risks and onward "
        "transfers to sub-processors.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _configure(p) -> None:
    p.add_argument("--our-role", required=True, choices=("controller", "processor"))
    p.add_argument("--vendor-role", required=True, choices=("processor", "controller", "sub-processor"))
    p.add_argument("--vendor-country", required=True, metavar="CC", help="ISO 3166-1 code of the vendor's establishment")
    p.add_argument("--processing-countries", default="", metavar="CC,CC",
                   help="where the vendor stores or processes the data (comma-separated)")
    p.add_argument("--parent-country", metavar="CC", help="country of the vendor's parent company")
    p.add_argument("--dpf", choices=("yes", "no", "unknown"), default="unknown",
                   help="vendor certified under the EU-US Data Privacy Framework (unknown = not certified)")
    p.add_argument("--canada-pipeda", choices=("yes", "no", "unknown"), default="unknown",
                   help="Canadian vendor subject to PIPEDA")
    p.add_argument("--data-categories", default="", metavar="a,b",
                   help="e.g. personal,health (none/internal alone: no personal data)")
    p.add_argument("--sub-processor", action="append", default=[], metavar="CC[:dpf=yes|no|unknown]",
                   help="a sub-processor's country (repeatable)")
    add_format_argument(p, default="json")
    p.add_argument("--language", choices=("en", "de"), default="en", help="language of the reasoning")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from vendorvet.engine import transfer

    try:
        inp = transfer.TransferInput(
            our_role=args.our_role,
            vendor_role=args.vendor_role,
            vendor_country=args.vendor_country,
            processing_countries=tuple(_csv(args.processing_countries)),
            parent_country=args.parent_country or None,
            dpf=args.dpf,
            canada_pipeda=args.canada_pipeda,
            data_categories=tuple(_csv(args.data_categories)),
            sub_processors=tuple(transfer.parse_sub_processor(s) for s in args.sub_processor),
        )
        result = transfer.check(inp)
    except transfer.TransferInputError as exc:
        raise CLIError(str(exc), 2) from exc
    data = result.to_dict(args.language)
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"basis: {data['basis']}  third-country transfer: {'yes' if data['third_country_transfer'] else 'no'}\n")
    if data["scc_module"]:
        out.write(f"SCC module: {data['scc_module']}  TIA required: {'yes' if data['tia_required'] else 'no'}\n")
    for number, step in enumerate(data["reasoning"], 1):
        out.write(f"{number:2}. {step}\n")
    for onward in data["onward_transfers"]:
        out.write(f"\nonward transfer to {onward['country']}: {onward['basis']}"
                  f"{' (module %s)' % onward['scc_module'] if onward['scc_module'] else ''}\n")
        for step in onward["reasoning"]:
            out.write(f"    - {step}\n")
    return 0
