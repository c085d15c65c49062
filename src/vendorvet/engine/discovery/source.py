"""What a discovery source declares: one module each under ``engine/discovery/sources`` (or a plugin's module
registered with :func:`vendorvet.engine.discovery.registry.register`).

A source names itself (``id``: stored with each import, used by the API and, with dashes, as the
``vendorvet discover <name>`` sub-command), says what it reads in English and German (``label``, ``help``),
which kinds of files it accepts, and how to read them (``parse``). The web form, the command line and the API
list whatever is registered; nothing else needs to change, and no migration either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from vendorvet.engine.discovery.model import DiscoveryResult

LANGUAGES = ("en", "de")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,19}$")  # fits ImportRun.source (20 characters)
RESERVED_COMMANDS = frozenset({"list", "sources"})  # other ``vendorvet discover`` sub-commands
# file kinds a source may accept, with how they are named to people
FILE_KINDS: dict[str, dict[str, str]] = {
    "json": {"en": "JSON", "de": "JSON"},
    "csv": {"en": "CSV", "de": "CSV"},
    "log": {"en": "log file", "de": "Protokolldatei"},
    "text": {"en": "text file (one entry per line)", "de": "Textdatei (ein Eintrag pro Zeile)"},
}

Parser = Callable[..., DiscoveryResult]  # parse(paths, *, names=None, max_bytes=...) -> DiscoveryResult


class SourceError(ValueError):
    """A source declaration that does not match the contract (raised when it is registered)."""


def _language(language: str | None) -> str:
    return "de" if (language or "").lower().startswith("de") else "en"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (its texts are dicts)
class DiscoverySource:
    id: str
    label: Mapping[str, str]
    help: Mapping[str, str]
    file_kinds: tuple[str, ...]
    parse: Parser
    order: int = 100
    aliases: tuple[str, ...] = field(default=())  # further command-line names

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not ID_PATTERN.match(self.id):
            raise SourceError(f"discovery source id {self.id!r}: lower-case letters, digits and _, at most 20")
        for name in ("label", "help"):
            texts = getattr(self, name)
            if not isinstance(texts, Mapping) or any(not str(texts.get(lang) or "").strip() for lang in LANGUAGES):
                raise SourceError(f"discovery source {self.id}: {name} needs an English and a German text")
        if {self.command, *self.aliases} & RESERVED_COMMANDS:
            raise SourceError(f"discovery source {self.id}: {sorted(RESERVED_COMMANDS)} are other sub-commands")
        kinds = tuple(self.file_kinds)
        if not kinds or set(kinds) - set(FILE_KINDS):
            raise SourceError(f"discovery source {self.id}: file_kinds must name kinds from {sorted(FILE_KINDS)}")
        object.__setattr__(self, "file_kinds", kinds)
        if not callable(self.parse):
            raise SourceError(f"discovery source {self.id}: parse must be callable")

    @property
    def command(self) -> str:
        """The ``vendorvet discover`` sub-command: the id with dashes (``proxy_log`` → ``proxy-log``)."""
        return self.id.replace("_", "-")

    def label_in(self, language: str | None) -> str:
        return self.label[_language(language)]

    def help_in(self, language: str | None) -> str:
        return self.help[_language(language)]

    def file_kinds_in(self, language: str | None) -> list[str]:
        return [FILE_KINDS[kind][_language(language)] for kind in self.file_kinds]
