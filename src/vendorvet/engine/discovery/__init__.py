"""Shadow-IT discovery: streaming parsers for OAuth-grant exports and proxy logs, and scope rating.

Pure Python (no Django). Each source of discovery input is one module under ``sources/`` (see
:mod:`.source` and :mod:`.registry`). Parsers read files incrementally and fold every event into a
:class:`~vendorvet.engine.discovery.model.DiscoveryResult` whose size depends on the number of distinct
apps and users, never on the number of events.
"""

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.model import AppObservation, DiscoveryResult, UserGrant
from vendorvet.engine.discovery.registry import parse_files

__all__ = ["AppObservation", "DiscoveryInputError", "DiscoveryResult", "UserGrant", "parse_files"]
