"""What a discovery import found: apps, who granted them what, and when — aggregated while streaming.

Times are ISO 8601 strings in UTC (``YYYY-MM-DDTHH:MM:SS[.fff]Z``), compared as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MAX_WARNINGS = 200

ALL_USERS = "*"  # the principal of a tenant-wide (admin) consent


def iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _min(a: str | None, b: str | None) -> str | None:
    return b if a is None or (b is not None and b < a) else a


def _max(a: str | None, b: str | None) -> str | None:
    return b if a is None or (b is not None and b > a) else a


@dataclass
class UserGrant:
    """One principal's grant to one app (a user, or ``*`` for tenant-wide admin consent)."""

    user: str
    permission_type: str = "delegated"  # delegated | application
    scopes: dict[str, str] = field(default_factory=dict)  # scope -> resource ("" when not known)
    first_seen: str | None = None
    last_seen: str | None = None
    last_authorized: str | None = None
    last_revoked: str | None = None
    listed: bool = False  # present in a current listing (Directory API tokens, Entra grants)
    events: int = 0

    def seen(self, when: str | None) -> None:
        self.events += 1
        if when:
            self.first_seen = _min(self.first_seen, when)
            self.last_seen = _max(self.last_seen, when)

    @property
    def revoked(self) -> bool:
        if self.listed:
            return False
        return bool(self.last_revoked) and (self.last_authorized is None or self.last_revoked >= self.last_authorized)


@dataclass
class AppObservation:
    platform: str  # google | microsoft | web
    client_id: str
    name: str = ""
    sources: set[str] = field(default_factory=set)
    publisher: str = ""
    verified_publisher: bool | None = None
    owner_organization: str = ""
    sign_in_audience: str = ""
    reply_urls: list[str] = field(default_factory=list)
    client_type: str = ""
    grants: dict[tuple[str, str], UserGrant] = field(default_factory=dict)
    first_seen: str | None = None
    last_seen: str | None = None
    hits: int = 0
    bytes: int = 0
    clients: set[str] = field(default_factory=set)
    catalogue_key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def grant(self, user: str, permission_type: str = "delegated") -> UserGrant:
        key = (user, permission_type)
        g = self.grants.get(key)
        if g is None:
            g = self.grants[key] = UserGrant(user=user, permission_type=permission_type)
        return g

    def seen(self, when: str | None) -> None:
        if when:
            self.first_seen = _min(self.first_seen, when)
            self.last_seen = _max(self.last_seen, when)

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform, self.client_id)


@dataclass
class Coverage:
    """Which parts of a tenant an import lists *completely* (Entra exports are snapshots).

    A grant or app that an earlier import found, that lies inside a covered part and that this import does
    not list, was revoked. Only object types the import actually contains are covered, and a paged listing
    only when its last page (the one without ``@odata.nextLink``) is there.
    """

    service_principals: bool = False  # the tenant's whole servicePrincipals listing
    delegated_all: bool = False  # the tenant's whole oauth2PermissionGrants listing
    delegated_clients: set[str] = field(default_factory=set)  # app ids whose delegated grants were listed
    application_resources: set[str] = field(default_factory=set)  # resource names whose appRoleAssignedTo …
    application_clients: set[str] = field(default_factory=set)  # … or client app ids whose appRoleAssignments
    assignment_apps: set[str] = field(default_factory=set)  # app ids whose user/group assignments were listed
    incomplete: list[str] = field(default_factory=list)  # listings without their last page (not covered)

    def __bool__(self) -> bool:
        return bool(self.service_principals or self.delegated_all or self.delegated_clients
                    or self.application_resources or self.application_clients or self.assignment_apps)


@dataclass
class DiscoveryResult:
    source: str
    files: list[str] = field(default_factory=list)
    file_info: list[dict] = field(default_factory=list)  # {"name", "size", "sha256"} of each file read
    apps: dict[tuple[str, str], AppObservation] = field(default_factory=dict)
    records: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    coverage: Coverage | None = None  # set by snapshot sources (Entra)
    # another name of a user -> the name grants are kept under (Google: numeric profile id -> e-mail, from the
    # token log's actor, which carries both); the web merge keeps them, so a later import naming the user by
    # id lands on the same grant
    aliases: dict[str, str] = field(default_factory=dict)
    other_applications: dict[str, int] = field(default_factory=dict)  # Reports API: skipped, by application

    def app(self, platform: str, client_id: str) -> AppObservation:
        key = (platform, client_id)
        a = self.apps.get(key)
        if a is None:
            a = self.apps[key] = AppObservation(platform=platform, client_id=client_id)
        a.sources.add(self.source)
        return a

    def warn(self, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("… further warnings are not listed")

    def skip(self, message: str) -> None:
        self.skipped += 1
        self.warn(message)
