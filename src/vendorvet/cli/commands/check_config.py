"""``vendorvet config check`` (earlier ``check-config``): what a production deployment still lacks."""

from __future__ import annotations

import argparse
import json

from vendorvet.cli.options import add_command, add_format_argument, add_group
from vendorvet.web import config
from vendorvet.web.config import ConfigProblem, production_report


DESCRIPTION = ("Report settings that block (error) or weaken (warning) a production deployment. "
               "Exit code 0 when production-ready (warnings allowed), 1 when any error remains.")


def register(subparsers) -> None:
    actions = add_group(subparsers, "config", help="check the configuration of this installation")
    add_command(actions, "check", _configure, help="check the environment for a production deployment",
                description=DESCRIPTION, old_names=[(subparsers, "check-config")])


def _configure(parser) -> None:
    add_format_argument(parser)
    parser.set_defaults(func=run)


def queue_status() -> tuple[str, bool | None, str]:
    """(queue description, whether Redis answers or None without Redis, message); password redacted."""
    backend = config.task_backend()
    if not config.uses_rq(backend):
        return config.queue_description(), None, ""
    answers, message = config.redis_ping(config.redis_url())
    return config.queue_description(), answers, message


def run(args: argparse.Namespace) -> int:
    report = production_report()
    queue, answers, redis_message = queue_status()
    if answers is False:
        report.problems.append(ConfigProblem("VENDORVET_REDIS_URL", "error", redis_message))
    from vendorvet.cli.commands import osv

    for level, message in osv.config_problems():
        report.problems.append(ConfigProblem("OSV database", level, message))
    errors = [p for p in report.problems if p.level == "error"]
    warnings = [p for p in report.problems if p.level != "error"]
    if args.format == "json":
        extra = {"queue": {"backend": queue, "redis_answers": answers, "redis": redis_message}} if answers is not None \
            else {}
        print(json.dumps({
            **extra,
            "ok": report.ok,
            "errors": len(errors),
            "warnings": len(warnings),
            "problems": [{"setting": p.setting, "level": p.level, "message": p.message} for p in report.problems],
        }, indent=2))
        return 0 if report.ok else 1
    print(f"Task queue: {queue}" + (f" — {redis_message}" if redis_message else ""))
    for problem in errors + warnings:
        print(f"{problem.level.upper():8} {problem.setting}: {problem.message}")
    if report.ok:
        suffix = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''} to look at)" if warnings else ""
        print(f"Ready for production{suffix}.")
        return 0
    print(f"Not ready for production: {len(errors)} error{'s' if len(errors) != 1 else ''}, "
          f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}.")
    return 1
