"""Opening discovery input files: the shared reader (:mod:`vendorvet.engine.csvreader`) with the discovery
error and a per-file cap of 1 GiB (a 1,000,000-event token log is about 450–600 MB)."""

from __future__ import annotations

import os

from vendorvet.engine import csvreader
from vendorvet.engine.discovery.errors import DiscoveryInputError

DEFAULT_MAX_BYTES = 1024 ** 3


def open_text(path: str | os.PathLike, *, max_bytes: int, expected: str, name: str | None = None,
              record: list | None = None):
    """Open ``path`` as text (UTF-8 with or without BOM, or UTF-16) after checking its size and first bytes.
    When ``record`` is given, the file's name, size and SHA-256 are appended to it once it was read to its end."""
    return csvreader.open_text(path, max_bytes=max_bytes, expected=expected, name=name, record=record,
                               error=DiscoveryInputError)


decode_guard = csvreader.decode_errors(error=DiscoveryInputError)
