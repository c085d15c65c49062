"""The ``vendorvet`` command. Thin: parse, set up Django or call the engine, print.

Each sub-command lives in ``vendorvet.cli.commands.<name>`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable
taking the parsed arguments and returning an exit code. Names and the ``--format``
option follow one style (``vendorvet.cli.options``); earlier names stay as hidden aliases.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from vendorvet import __version__
from vendorvet.cli import commands
from vendorvet.cli.runtime import CLIError
from vendorvet.web.core.context import PermissionDeniedError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vendorvet",
        description="Vet third-party apps and API integrations: inventory, risk tiers, review, monitoring.",
    )
    parser.add_argument("--version", action="version", version=f"vendorvet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    sub._choices_actions.sort(key=lambda action: action.dest)  # --help lists the commands alphabetically
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"vendorvet: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except PermissionDeniedError as exc:
        print(f"vendorvet: permission denied: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
