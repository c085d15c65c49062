"""Streaming reader for API exports: JSON pages concatenated, one JSON value per line, or arrays of them.

The structure above the records (a page object, its ``items``/``value`` array, a top-level array of pages)
is walked character by character; each record is decoded on its own with the C JSON decoder. Memory is
bounded by the largest single record (``max_value_chars``), not by the file.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, TextIO

from vendorvet.engine import jsondepth
from vendorvet.engine.discovery.errors import DiscoveryInputError

RECORD_ARRAYS = ("items", "value")
MAX_VALUE_CHARS = 16 * 1024 * 1024
CHUNK = 1 << 20
MAX_KEYS = 10_000
WHITESPACE = " \t\r\n"

_decoder = json.JSONDecoder()


class JsonStream:
    """Yields ``(record, page_meta)``: each element of an ``items``/``value`` array of a page, or a bare
    top-level object (one record per line) with ``page_meta`` empty. ``page_meta`` holds the page's
    other keys read so far (``kind``, ``@odata.context``, ``nextPageToken`` …)."""

    def __init__(self, fh: TextIO, name: str, max_value_chars: int = MAX_VALUE_CHARS, keep_pages: bool = False):
        self.fh, self.name, self.max_value = fh, name, max_value_chars
        self.buf, self.pos, self.offset, self.eof = "", 0, 0, False
        self.pages = 0
        # with keep_pages: the complete meta of every page read (also of pages whose record array is empty),
        # the same dict objects that were yielded with the records
        self.page_metas: list[dict] | None = [] if keep_pages else None

    # -- buffer -----------------------------------------------------------
    def _fill(self, want: int = CHUNK) -> bool:
        if self.eof:
            return False
        data = self.fh.read(max(want, CHUNK))
        if not data:
            self.eof = True
            return False
        if self.pos:
            self.offset += self.pos
            self.buf = self.buf[self.pos:] + data
            self.pos = 0
        else:
            self.buf += data
        return True

    def _error(self, message: str, at: int | None = None) -> DiscoveryInputError:
        where = self.offset + (self.pos if at is None else at)
        return DiscoveryInputError(f"{message} (at character {where})", file=self.name)

    def _peek(self) -> str:
        """The next non-whitespace character ('' at the end), not consumed."""
        while True:
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]
            if not self._fill():
                return ""

    def _expect(self, chars: str) -> str:
        c = self._peek()
        if not c:
            raise self._error(f"the JSON ends too early (truncated file?); expected one of {chars!r}")
        if c not in chars:
            raise self._error(f"unexpected {c!r} in JSON; expected one of {chars!r}")
        self.pos += 1
        return c

    def _value(self) -> Any:
        self._peek()
        while True:
            # the C decoder recurses once per level: refuse deep nesting before it sees the value
            too_deep = jsondepth.too_deep_at(self.buf, self.pos, one_value=True)
            if too_deep is not None:
                raise DiscoveryInputError(
                    f"{jsondepth.TooDeeplyNested(jsondepth.MAX_DEPTH)} (at character {self.offset + too_deep})",
                    file=self.name, code="too_deep", params={"limit": jsondepth.MAX_DEPTH})
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self._error(f"invalid or truncated JSON: {exc.msg}", exc.pos) from None
                if len(self.buf) - self.pos > self.max_value:
                    raise self._error(f"a single JSON record is invalid or larger than "
                                      f"{self.max_value // (1024 * 1024)} MB: {exc.msg}", exc.pos) from None
                self._fill(len(self.buf) - self.pos)  # grow geometrically
                continue
            if end >= len(self.buf) and not self.eof and not isinstance(value, (dict, list, str)):
                # a number or literal at the end of the buffer may continue in the next block
                if self._fill():
                    continue
            self.pos = end
            return value

    # -- structure --------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[Any, dict]]:
        while True:
            c = self._peek()
            if not c:
                return
            if c == ",":  # tolerate "page, page" between top-level values
                self.pos += 1
                continue
            if c == "{":
                yield from self._object()
            elif c == "[":
                yield from self._array(top=True)
            else:
                raise self._error(f"expected a JSON object or array, found {c!r} (is this really a JSON export?)")

    def _array(self, top: bool, meta: dict | None = None) -> Iterator[tuple[Any, dict]]:
        self._expect("[")
        if self._peek() == "]":
            self.pos += 1
            return
        while True:
            if top and self._peek() == "{":
                yield from self._object()
            else:
                yield self._value(), (meta if meta is not None else {})
            if self._expect(",]") == "]":
                return

    def _object(self) -> Iterator[tuple[Any, dict]]:
        self._expect("{")
        meta: dict[str, Any] = {}
        streamed = False
        if self._peek() == "}":
            self.pos += 1
            return
        while True:
            if self._peek() != '"':
                raise self._error("expected a quoted key in a JSON object")
            key = self._value()
            self._expect(":")
            if key in RECORD_ARRAYS and self._peek() == "[":
                streamed = True
                self.pages += 1
                yield from self._array(top=False, meta=meta)
            else:
                meta[key] = self._value()
                if len(meta) > MAX_KEYS:
                    raise self._error(f"a JSON object with more than {MAX_KEYS} keys is not an API export")
            if self._expect(",}") == "}":
                break
        if streamed and self.page_metas is not None:
            self.page_metas.append(meta)
        if not streamed:
            yield meta, {}


def records(fh: TextIO, name: str, max_value_chars: int = MAX_VALUE_CHARS) -> Iterator[tuple[Any, dict]]:
    return iter(JsonStream(fh, name, max_value_chars))
