"""The one error a discovery parser raises for input it cannot use."""

from __future__ import annotations

from vendorvet.engine.csvreader import InputFileError


class DiscoveryInputError(InputFileError):
    """The input as a whole cannot be imported (nothing is stored). The message names file and position."""

    def __init__(self, message: str, *, file: str | None = None, code: str = "invalid", params: dict | None = None):
        super().__init__(message, file=file, code=code, params=params)
