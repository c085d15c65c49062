"""Shadow-IT discovery: streaming parsers for OAuth-grant exports and proxy logs, and scope rating.

Pure Python (no Django). Parsers read files incrementally and fold every event into a
:class:`~vendorvet.engine.discovery.model.DiscoveryResult` whose size depends on the
number of distinct apps and users, never on the number of events.
"""

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.model import AppObservation, DiscoveryResult, UserGrant

SOURCES = ("google_tokens", "google_directory", "entra", "proxy_log")

__all__ = ["SOURCES", "AppObservation", "DiscoveryInputError", "DiscoveryResult", "UserGrant", "parse_files"]


def parse_files(source: str, paths, *, max_bytes: int | None = None, names=None):
    """Parse ``paths`` as one import of ``source``; raises DiscoveryInputError on unusable input."""
    from vendorvet.engine.discovery import google, microsoft, proxy

    parsers = {
        "google_tokens": google.parse_token_activity,
        "google_directory": google.parse_directory_tokens,
        "entra": microsoft.parse_entra,
        "proxy_log": proxy.parse_proxy_logs,
    }
    if source not in parsers:
        raise DiscoveryInputError(f"unknown discovery source {source!r}")
    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    return parsers[source](list(paths), names=names, **kwargs)
