"""The check contract: what every check states about itself, whatever judges it.

Scan checks (one module each, discovered by :mod:`vendorvet.engine.registry`) and the OpenAPI audit's rules
(:mod:`vendorvet.engine.openapi_audit`) carry the same metadata — id, severity, title, risk, remediation,
optional framework mappings and sources — validated here, so reports, the CLI, the API catalogue and the web
pages treat them alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from vendorvet.engine.severity import FINDING_VALUES, Severity

INFO_KEYS = {"id", "severity", "title", "risk", "remediation"}
REQUIRED_KEYS = INFO_KEYS | {"requires"}
OPTIONAL_KEYS = {"mappings", "sources", "scored"}


class RegistryError(Exception):
    """A check module whose metadata does not match the contract."""


@dataclass(frozen=True, kw_only=True)
class CheckInfo:
    """What every check states about itself, whatever judges it (a scan check module, an OpenAPI audit rule):
    the contract that reports, texts, the API catalogue and the web pages read. English here; German texts
    are content (``content/check_texts.yaml``), and a check without one is shown in English."""

    id: str
    severity: Severity
    title: str
    risk: str
    remediation: str
    mappings: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    kind: str = "scan"  # "scan": vendorvet scan; "openapi": vendorvet openapi (audit of a specification)

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


def check_info(meta: Mapping[str, Any], check_id: str, *, kind: str = "scan",
               required: frozenset[str] = frozenset(INFO_KEYS)) -> CheckInfo:
    """Validate a check's metadata dict against the contract; a typo fails loudly at start-up."""
    missing = set(required) - set(meta)
    unknown = set(meta) - set(REQUIRED_KEYS) - OPTIONAL_KEYS
    if missing or unknown:
        raise RegistryError(f"{check_id}: metadata missing {sorted(missing)}, unknown {sorted(unknown)}")
    if meta["id"] != check_id:
        raise RegistryError(f"METADATA id {meta['id']!r} must equal the check id {check_id!r}")
    if meta["severity"] not in FINDING_VALUES:
        raise RegistryError(f"{check_id}: unknown severity {meta['severity']!r}")
    severity = Severity(meta["severity"])
    for key in ("title", "risk", "remediation"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            raise RegistryError(f"{check_id}: {key} must be a non-empty string")
    mappings = meta.get("mappings", {})
    if not isinstance(mappings, Mapping):
        raise RegistryError(f"{check_id}: mappings must be a dict of framework → references")
    return CheckInfo(id=check_id, severity=severity, title=meta["title"], risk=meta["risk"],
                     remediation=meta["remediation"], mappings=dict(mappings),
                     sources=tuple(meta.get("sources", ())), kind=kind)
