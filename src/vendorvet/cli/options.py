"""Options and names every command shares, so the command line reads the same everywhere.

- Output: one flag, ``--format``, with the choices written ``table|json|…`` (``table`` is the human-readable
  form, also where it is a list of lines rather than a grid). The earlier value ``text`` is still accepted
  and means ``table``.
- Names: a command with several actions is ``vendorvet NOUN VERB`` (``token create``, ``config check``,
  ``ropa export``, ``integration scan``); earlier names (``check-config``, ``export-ropa`` …) still work as
  hidden aliases — they parse exactly like the new form but are not listed in ``--help``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

HUMAN = "table"
OLD_FORMAT_VALUES = {"text": HUMAN}  # earlier spellings of a --format value -> today's


def add_format_argument(parser: argparse.ArgumentParser, choices: Sequence[str] = (HUMAN, "json"),
                        default: str = HUMAN, short: bool = False, help: str | None = None) -> None:
    """``--format {table,json,…}``; the old value ``text`` is accepted (as ``table``) but not shown."""
    choices = tuple(choices)

    def value(raw: str) -> str:
        raw = raw.strip().lower()
        return OLD_FORMAT_VALUES.get(raw, raw) if HUMAN in choices else raw

    flags = ("--format", "-f") if short else ("--format",)
    parser.add_argument(*flags, choices=choices, default=default, type=value,
                        help=help or f"output format: {'|'.join(choices)} (default: {default})")


def add_group(subparsers, noun: str, help: str, description: str | None = None):
    """A ``NOUN`` command whose actions are verbs; returns the sub-parsers to add the actions to.

    Several command modules may share one noun (``questionnaire caiq-check`` and ``questionnaire send``
    live in different modules): a second call for the same noun returns the group the first one made.
    """
    existing = subparsers.choices.get(noun)
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
        raise ValueError(f"command {noun!r} exists and is not a group of actions")
    parser = subparsers.add_parser(noun, help=help, description=description or help)
    actions = parser.add_subparsers(dest=f"{noun}_action", metavar="ACTION", required=True)
    return actions


def add_command(subparsers, name: str, configure: Callable[[argparse.ArgumentParser], None], *,
                help: str, description: str | None = None, old_names: Sequence[tuple[object, str]] = (),
                **kwargs) -> argparse.ArgumentParser:
    """Add ``name`` (listed in ``--help``) and its old names (hidden), all configured by ``configure``.

    ``old_names`` are ``(subparsers, old_name)`` pairs — an old name may live at another level, e.g.
    ``check-config`` at the top for today's ``config check``.
    """
    parser = subparsers.add_parser(name, help=help, description=description or help, **kwargs)
    configure(parser)
    for where, old in old_names:
        # no ``help=``: argparse then lists no entry for it (help=SUPPRESS would print "==SUPPRESS==")
        alias = where.add_parser(old, description=description or help, **kwargs)
        configure(alias)
    return parser
