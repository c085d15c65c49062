"""The one error a discovery parser raises for input it cannot use."""

from __future__ import annotations


class DiscoveryInputError(ValueError):
    """The input as a whole cannot be imported (nothing is stored). The message names file and position."""

    def __init__(self, message: str, *, file: str | None = None):
        self.file = file
        super().__init__(f"{file}: {message}" if file else message)
        self.reason = message
