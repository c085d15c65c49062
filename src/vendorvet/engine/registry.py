"""Check discovery: one module per check under ``vendorvet.engine.checks``.

A check module's dotted path below ``checks`` *is* its id (``checks/tls/protocol/legacy.py``
→ ``tls.protocol.legacy``). Beside its ``check(facts) -> Verdict`` function it carries a
``METADATA`` dict, validated when the registry loads, so a typo fails loudly at start-up
instead of producing a finding without a title or severity. Adding a check means adding
one file — nothing else to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any, Callable, Mapping

from vendorvet.engine.models import Severity, Verdict

COLLECTORS = ("tls", "http", "dns", "location")
REQUIRED_KEYS = {"id", "severity", "title", "risk", "remediation", "requires"}
OPTIONAL_KEYS = {"mappings", "sources", "scored"}


class RegistryError(Exception):
    """A check module whose metadata does not match the contract."""


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: Severity
    title: str
    risk: str
    remediation: str
    requires: tuple[str, ...]
    mappings: Mapping[str, Any]
    sources: tuple[str, ...]
    func: Callable[..., Verdict]

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


def _validate(module: ModuleType, check_id: str) -> CheckSpec:
    meta = getattr(module, "METADATA", None)
    if not isinstance(meta, Mapping):
        raise RegistryError(f"{module.__name__}: no METADATA dict")
    missing = REQUIRED_KEYS - set(meta)
    unknown = set(meta) - REQUIRED_KEYS - OPTIONAL_KEYS
    if missing or unknown:
        raise RegistryError(f"{check_id}: metadata missing {sorted(missing)}, unknown {sorted(unknown)}")
    if meta["id"] != check_id:
        raise RegistryError(f"{module.__name__}: METADATA id {meta['id']!r} must equal the module path {check_id!r}")
    try:
        severity = Severity(meta["severity"])
    except ValueError:
        raise RegistryError(f"{check_id}: unknown severity {meta['severity']!r}") from None
    for key in ("title", "risk", "remediation"):
        if not isinstance(meta[key], str) or not meta[key].strip():
            raise RegistryError(f"{check_id}: {key} must be a non-empty string")
    requires = tuple(meta["requires"])
    if not requires or set(requires) - set(COLLECTORS):
        raise RegistryError(f"{check_id}: requires must name collectors from {COLLECTORS}, got {requires}")
    func = getattr(module, "check", None)
    if not callable(func):
        raise RegistryError(f"{check_id}: no check(facts) function")
    mappings = meta.get("mappings", {})
    if not isinstance(mappings, Mapping):
        raise RegistryError(f"{check_id}: mappings must be a dict of framework → references")
    return CheckSpec(
        id=check_id, severity=severity, title=meta["title"], risk=meta["risk"],
        remediation=meta["remediation"], requires=requires, mappings=dict(mappings),
        sources=tuple(meta.get("sources", ())), func=func,
    )


def discover(package: str = "vendorvet.engine.checks") -> dict[str, CheckSpec]:
    root = importlib.import_module(package)
    specs: dict[str, CheckSpec] = {}
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        if info.ispkg or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        check_id = info.name[len(package) + 1:]
        specs[check_id] = _validate(module, check_id)
    return dict(sorted(specs.items()))


@lru_cache(maxsize=1)
def all_checks() -> dict[str, CheckSpec]:
    return discover()


def select(patterns: list[str] | None = None) -> list[CheckSpec]:
    """Checks whose id equals a pattern or starts with ``pattern.`` (``tls`` selects every TLS check)."""
    specs = all_checks()
    if not patterns:
        return list(specs.values())
    chosen = [s for s in specs.values() if any(s.id == p or s.id.startswith(p + ".") for p in patterns)]
    if not chosen:
        raise RegistryError(f"no check matches {patterns}")
    return chosen
