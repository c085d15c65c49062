"""One bound on JSON nesting for every importer (discovery exports, SBOMs, OpenAPI, OSV, backups).

Python's JSON decoder recurses once per level, so a document nested 100,000 deep ends in a
``RecursionError`` (an HTTP 500 on the web, a traceback on the command line). Every importer reads
JSON through :func:`loads` (or checks a value with :func:`too_deep_at` before decoding it), which
refuses such a document with :class:`TooDeeplyNested` — a ``ValueError`` with a message a person can
act on — before the decoder sees it.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 200  # far above any real export (Graph, Google, CycloneDX, OSV nest < 20 levels)

# a string (also one cut off at the end of the text) or one bracket
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooDeeplyNested(ValueError):
    """The JSON nests arrays/objects deeper than the bound."""

    def __init__(self, max_depth: int = MAX_DEPTH, at: int | None = None):
        self.max_depth, self.at = max_depth, at
        where = f" (at character {at})" if at is not None else ""
        super().__init__(f"the JSON is too deeply nested (more than {max_depth} levels){where}")


def too_deep_at(text: str, start: int = 0, max_depth: int = MAX_DEPTH, *, one_value: bool = False) -> int | None:
    """The position where nesting first exceeds ``max_depth``, or ``None``.

    With ``one_value`` the scan stops where the value starting at ``start`` closes (for streams that
    decode one record at a time); otherwise the whole text is scanned (JSON lines, concatenated pages).
    """
    depth = 0
    for match in _TOKEN.finditer(text, start):
        char = text[match.start()]
        if char == '"':
            if one_value and depth == 0:
                return None
            continue
        if char in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        else:
            depth = max(0, depth - 1)
            if one_value and depth == 0:
                return None
    return None


def check(text: str | bytes, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`TooDeeplyNested` if ``text`` nests deeper than ``max_depth``."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    if text.count("[") + text.count("{") <= max_depth:
        return
    # fast path, all in C: strings out, brackets only, running depth (a large SBOM costs a fraction of decoding)
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if max(accumulate(map(_DELTA.__getitem__, brackets)), default=0) <= max_depth:
        return
    raise TooDeeplyNested(max_depth, too_deep_at(text, 0, max_depth))


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` with the nesting bound; invalid JSON raises ``ValueError`` as before."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode(json.detect_encoding(bytes(text)))
    check(text, max_depth)
    try:
        return json.loads(text)
    except RecursionError:  # a lower interpreter limit than the bound: still a clear refusal
        raise TooDeeplyNested(max_depth) from None
