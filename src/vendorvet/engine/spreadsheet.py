"""Spreadsheet cells, shared by every reader and writer of CSV/XLSX (inventory import/export, questionnaires).

- Formula injection (OWASP CSV injection): a text starting with ``= + - @``, a tab or CR gets a leading ``'``;
  texts that already start with quotes before such a character get one more, so :func:`unneutralize` restores
  every value exactly.
- :func:`cell_text`: an openpyxl cell value as the text a person reads (``1.0`` → ``1``, dates ISO).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def neutralize(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made inert with a leading ``'``."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def unneutralize(text: str) -> str:
    return text[1:] if ESCAPED_FORMULA.match(text) else text


def cell_text(value: Any) -> str:
    """A cell value as text the way a person reads it (``1.0`` → ``1``, dates ISO); not stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
