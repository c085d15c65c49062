"""``vendorvet check-config``: what a production deployment still lacks."""

from __future__ import annotations

import argparse
import json

from vendorvet.web.config import production_report


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check-config",
        help="check the environment for a production deployment",
        description="Report settings that block (error) or weaken (warning) a production deployment. "
        "Exit code 0 when production-ready (warnings allowed), 1 when any error remains.",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = production_report()
    errors = [p for p in report.problems if p.level == "error"]
    warnings = [p for p in report.problems if p.level != "error"]
    if args.format == "json":
        print(json.dumps({
            "ok": report.ok,
            "errors": len(errors),
            "warnings": len(warnings),
            "problems": [{"setting": p.setting, "level": p.level, "message": p.message} for p in report.problems],
        }, indent=2))
        return 0 if report.ok else 1
    for problem in errors + warnings:
        print(f"{problem.level.upper():8} {problem.setting}: {problem.message}")
    if report.ok:
        suffix = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} to look at)" if warnings else ""
        print(f"Ready for production{suffix}.")
        return 0
    print(f"Not ready for production: {len(errors)} error{'s' if len(errors) != 1 else ''}, "
          f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}.")
    return 1
