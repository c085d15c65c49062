"""The external checks' texts — title, risk, remediation — in the reader's language.

The engine keeps them in English only (the check contract, ``engine.contract.CheckInfo``: each scan check's
``METADATA`` and the OpenAPI audit's rules alike, listed by ``engine.registry.info``), and stays free of
languages. vendorvet's German
translation is content (``content/check_texts.yaml``); this module picks it when the active content
language is German and otherwise returns the engine's English text.

Stored findings keep the English title the engine gave them; :func:`finding_title` shows the German title
instead when the stored one is the engine's current English title (any other stored title is shown as it is).
"""

from __future__ import annotations

from typing import Any

from vendorvet import content
from vendorvet.web.core.i18n import content_language

FIELDS = ("title", "risk", "remediation")
CONTENT_NAME = "check_texts"


def german_texts() -> dict[str, dict[str, str]]:
    """``{check id: {"title": …, "risk": …, "remediation": …}}`` from ``content/check_texts.yaml``."""
    return content.load(CONTENT_NAME).get("checks") or {}


def english_text(check_id: str, field: str) -> str:
    """The engine's English text, or "" for an unknown id."""
    _require_field(field)
    from vendorvet.engine import registry

    info = registry.info(check_id)
    return getattr(info, field) if info is not None else ""


def check_text(check_id: str, field: str, language: str | None = None) -> str:
    """``field`` ("title", "risk" or "remediation") of a check in ``language`` (default: the active one).

    German when the language is German and the content has the text, else the engine's English.
    """
    _require_field(field)
    language = language or content_language()
    if language.lower().startswith("de"):
        text = (german_texts().get(check_id) or {}).get(field)
        if text:
            return str(text)
    return english_text(check_id, field)


def finding_title(check_id: str, stored_title: str, language: str | None = None) -> str:
    """A stored finding's title for the reader: the check's title in ``language`` when the stored title is
    the engine's English one, else the stored title unchanged (older wording, or a title set elsewhere)."""
    english = english_text(check_id, "title")
    if english and stored_title == english:
        return check_text(check_id, "title", language)
    return stored_title


def shown_title(finding: Any, language: str | None = None) -> str:
    """:func:`finding_title` for a finding-like object or dict with ``check_id`` and ``title``."""
    if isinstance(finding, dict):
        check_id, title = finding.get("check_id", ""), finding.get("title", "")
    else:
        check_id, title = getattr(finding, "check_id", ""), getattr(finding, "title", "")
    return finding_title(str(check_id or ""), str(title or ""), language)


def _require_field(field: str) -> None:
    if field not in FIELDS:
        raise ValueError(f"unknown check text field {field!r}; expected one of {FIELDS}")
