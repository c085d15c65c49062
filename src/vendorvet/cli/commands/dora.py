"""``vendorvet dora check`` and ``vendorvet dora export``: the DORA register of information (ITS (EU) 2024/2956)
of a tenant that is a financial entity — checked offline, written as the EBA xBRL-CSV report package or XLSX."""

from __future__ import annotations

import argparse
import json
import os
import sys

from vendorvet.cli.options import add_command, add_format_argument, add_group
from vendorvet.cli.runtime import CLIError, acting_in_tenant, add_actor_arguments

NOT_FINANCIAL = "the tenant is not marked as a financial entity under DORA (web: DORA register › Financial entity)"


def register(subparsers) -> None:
    actions = add_group(subparsers, "dora", help="the DORA register of information (financial entities)")
    add_command(actions, "check", _configure_check, help="list what keeps the register from being complete",
                description="Build the register of information and validate it offline: column codes, EBA code "
                "lists, LEI check digits (ISO 17442), dates, mandatory fields and references between templates. "
                "Exit status 0 when complete, 1 when problems were found.")
    add_command(actions, "export", _configure_export, help="write the register as EBA xBRL-CSV package or XLSX",
                description="Write the report package (ZIP) for the supervisor's portal — only from a register "
                "without problems; otherwise the problems are listed and nothing is written — or an XLSX for "
                "people, which lists the open problems on its first sheet.")


def _configure_check(p) -> None:
    add_format_argument(p)
    p.add_argument("--language", choices=("en", "de"), default="en")
    add_actor_arguments(p)
    p.set_defaults(func=run_check)


def _configure_export(p) -> None:
    add_format_argument(p, ("zip", "xlsx"), default="zip", help="zip: EBA xBRL-CSV report package (default); "
                        "xlsx: the templates for people")
    p.add_argument("-o", "--output", "--out", dest="output", metavar="PATH", required=True,
                   help="file to write, or an existing directory (the package keeps its EBA file name there)")
    p.add_argument("--language", choices=("en", "de"), default="en", help="language of the XLSX")
    add_actor_arguments(p)
    p.set_defaults(func=run_export)


def _print_issues(issues, language: str, stream) -> None:
    for issue in issues:
        place = f"{issue.template} row {issue.row}" if issue.row else issue.template
        text = issue.message_de if language == "de" else issue.message
        print(f"{place} {issue.column}: {text}".replace("  ", " "), file=stream)


def run_check(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.engine import dora as engine
        from vendorvet.web.dora import services

        assembly = services.assemble()
        if assembly is None:
            raise CLIError(NOT_FINANCIAL, 2)
        tables = engine.build(assembly.register)
        issues = engine.validate(tables, assembly.register.reporting_date)
        if args.format == "json":
            print(json.dumps({"complete": not issues,
                              "templates": {t: len(rows) for t, rows in tables.items()},
                              "issues": [{"template": i.template, "row": i.row, "column": i.column, "code": i.code,
                                          "message": i.message_de if args.language == "de" else i.message,
                                          "subject": i.subject} for i in issues]}, indent=2, ensure_ascii=False))
        else:
            _print_issues(issues, args.language, sys.stdout)
            print(f"{len(issues)} problem(s)" if issues else "the register is complete", file=sys.stderr)
    return 1 if issues else 0


def run_export(args: argparse.Namespace) -> int:
    with acting_in_tenant(args):
        from vendorvet.engine import dora as engine
        from vendorvet.web.accounts import roles
        from vendorvet.web.core.security import audit
        from vendorvet.web.dora import services

        roles.require(roles.EXPORT)
        assembly = services.assemble()
        if assembly is None:
            raise CLIError(NOT_FINANCIAL, 2)
        if args.format == "xlsx":
            name, data = "dora-register.xlsx", engine.export_xlsx(assembly.register, args.language)
        else:
            try:
                name, data = engine.export_package(assembly.register)
            except engine.RegisterInvalid as exc:
                _print_issues(exc.issues, args.language, sys.stderr)
                print(f"nothing written: {len(exc.issues)} problem(s) in the register", file=sys.stderr)
                return 1
        target = os.path.join(args.output, name) if os.path.isdir(args.output) else args.output
        tmp = f"{target}.part"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        audit("export.dora", format="xbrl-csv" if args.format == "zip" else "xlsx", package=name)
        print(f"written to {target}", file=sys.stderr)
    return 0
