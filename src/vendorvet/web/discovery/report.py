"""What one discovery import did, as the importer and the revocation pass fill it in."""

from __future__ import annotations

from dataclasses import dataclass, field

from vendorvet.engine.discovery.model import DiscoveryResult
from vendorvet.web.discovery.models import DiscoveredApp, ImportRun


@dataclass
class ImportReport:
    run: ImportRun
    result: DiscoveryResult
    new_apps: list[DiscoveredApp] = field(default_factory=list)
    updated_apps: list[DiscoveredApp] = field(default_factory=list)
    repeated_files: list[str] = field(default_factory=list)
    revoked_apps: list[DiscoveredApp] = field(default_factory=list)  # active before, nothing active now
    revoked_grants: list[dict] = field(default_factory=list)  # see ImportRun.revoked
    notes: list[str] = field(default_factory=list)  # records merged or left apart (adoption), for the summary
