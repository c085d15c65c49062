"""Check discovery: one module per check under ``vendorvet.engine.checks``.

A check module's dotted path below ``checks`` *is* its id (``checks/tls/protocol/legacy.py``
→ ``tls.protocol.legacy``). Beside its ``check(facts) -> Verdict`` function it carries a
``METADATA`` dict, validated when the registry loads, so a typo fails loudly at start-up
instead of producing a finding without a title or severity. Adding a check means adding
one file — nothing else to edit: reports, the CLI's check list, the API catalogue, the web pages and the grade
(through ``Verdict.caps``) read the metadata; a German text in ``content/check_texts.yaml`` is optional
(English is shown without one). Checks outside this package come from add-on packages named by the
``vendorvet.checks`` entry-point group or the ``VENDORVET_CHECK_PACKAGES`` environment variable.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass, fields
from functools import lru_cache
from types import ModuleType
from typing import Callable, Mapping

from vendorvet.engine.contract import (  # noqa: F401 - the contract's names are part of the registry's API
    INFO_KEYS, OPTIONAL_KEYS, REQUIRED_KEYS, CheckInfo, RegistryError, check_info,
)
from vendorvet.engine.models import Verdict

COLLECTORS = ("tls", "http", "dns", "location")


@dataclass(frozen=True, kw_only=True)
class CheckSpec(CheckInfo):
    requires: tuple[str, ...]
    func: Callable[..., Verdict]
def _validate(module: ModuleType, check_id: str) -> CheckSpec:
    meta = getattr(module, "METADATA", None)
    if not isinstance(meta, Mapping):
        raise RegistryError(f"{module.__name__}: no METADATA dict")
    if meta.get("id") != check_id:
        raise RegistryError(f"{module.__name__}: METADATA id {meta.get('id')!r} must equal the module path {check_id!r}")
    info = check_info(meta, check_id, required=frozenset(REQUIRED_KEYS))
    requires = tuple(meta["requires"])
    if not requires or set(requires) - set(COLLECTORS):
        raise RegistryError(f"{check_id}: requires must name collectors from {COLLECTORS}, got {requires}")
    func = getattr(module, "check", None)
    if not callable(func):
        raise RegistryError(f"{check_id}: no check(facts) function")
    return CheckSpec(**{f.name: getattr(info, f.name) for f in fields(CheckInfo)}, requires=requires, func=func)


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


BUILTIN_PACKAGE = "vendorvet.engine.checks"
ENTRY_POINT_GROUP = "vendorvet.checks"  # an installed add-on names its check package here
PACKAGES_ENV = "VENDORVET_CHECK_PACKAGES"  # comma-separated extra check packages (site add-ons, tests)


def check_packages() -> list[str]:
    """The packages whose modules are checks: the built-in one, then add-ons (entry points, environment)."""
    from importlib.metadata import entry_points

    extra = [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)]
    extra += [p.strip() for p in os.environ.get(PACKAGES_ENV, "").split(",") if p.strip()]
    return [BUILTIN_PACKAGE, *dict.fromkeys(p for p in extra if p != BUILTIN_PACKAGE)]


@lru_cache(maxsize=1)
def all_checks() -> dict[str, CheckSpec]:
    """Every scan check, by id. An add-on package's module path below the package is its check's id, as for the
    built-in checks; an id that two packages define is refused."""
    specs: dict[str, CheckSpec] = {}
    for package in check_packages():
        found = discover(package)
        clash = sorted(set(found) & set(specs))
        if clash:
            raise RegistryError(f"{package}: check ids already defined: {clash}")
        specs.update(found)
    return dict(sorted(specs.items()))


def catalogue() -> dict[str, CheckInfo]:
    """Every check vendorvet states verdicts with: the scan checks and the OpenAPI audit's rules, by id."""
    from vendorvet.engine.openapi_audit import CHECKS as OPENAPI_CHECKS

    return dict(sorted({**OPENAPI_CHECKS, **all_checks()}.items()))


def info(check_id: str) -> CheckInfo | None:
    """One check's metadata (scan check or OpenAPI audit rule), or ``None`` for an unknown id."""
    spec = all_checks().get(check_id)
    if spec is not None:
        return spec
    from vendorvet.engine.openapi_audit import CHECKS as OPENAPI_CHECKS

    return OPENAPI_CHECKS.get(check_id)


def select(patterns: list[str] | None = None) -> list[CheckSpec]:
    """Checks whose id equals a pattern or starts with ``pattern.`` (``tls`` selects every TLS check)."""
    specs = all_checks()
    if not patterns:
        return list(specs.values())
    chosen = [s for s in specs.values() if any(s.id == p or s.id.startswith(p + ".") for p in patterns)]
    if not chosen:
        raise RegistryError(f"no check matches {patterns}")
    return chosen
