"""The discovery sources: the modules of ``vendorvet.engine.discovery.sources`` (a module's name is its
source's id), plus any registered at run time (a plugin, a test). The one list the engine, the web form,
the command line and the API all read — the web app mirrors it into ``web.core.registry`` by
:func:`subscribe`.
"""

from __future__ import annotations

import importlib
import pkgutil
from contextlib import contextmanager
from typing import Callable, Iterator

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.model import DiscoveryResult
from vendorvet.engine.discovery.source import DiscoverySource, SourceError

PACKAGE = "vendorvet.engine.discovery.sources"

_sources: dict[str, DiscoverySource] = {}
_listeners: list[tuple[Callable[[DiscoverySource], None], Callable[[str], None]]] = []
_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module(PACKAGE)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{PACKAGE}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if not isinstance(source, DiscoverySource):
            raise SourceError(f"{module.__name__}: no SOURCE = DiscoverySource(...)")
        if source.id != info.name:
            raise SourceError(f"{module.__name__}: SOURCE id {source.id!r} must equal the module name")
        register(source)


def sources() -> list[DiscoverySource]:
    """Every registered source, in their declared order."""
    _load()
    return sorted(_sources.values(), key=lambda s: (s.order, s.id))


def ids() -> list[str]:
    return [s.id for s in sources()]


def get(source_id: str) -> DiscoverySource | None:
    _load()
    return _sources.get(source_id)


def require(source_id: str) -> DiscoverySource:
    source = get(source_id)
    if source is None:
        raise DiscoveryInputError(f"unknown discovery source {source_id!r} (known: {', '.join(ids())})",
                                  code="unknown_source", params={"source": source_id})
    return source


def by_command(name: str) -> DiscoverySource | None:
    """The source a ``vendorvet discover`` sub-command names (its id with dashes, the id, or an alias)."""
    for source in sources():
        if name in (source.command, source.id, *source.aliases):
            return source
    return None


def register(source: DiscoverySource) -> DiscoverySource:
    if not isinstance(source, DiscoverySource):
        raise SourceError(f"not a DiscoverySource: {source!r}")
    if source.id in _sources:
        raise SourceError(f"discovery source {source.id!r} is registered already")
    taken = {name for s in _sources.values() for name in (s.command, *s.aliases)}
    if {source.command, *source.aliases} & taken:
        raise SourceError(f"discovery source {source.id!r}: a command name is taken already")
    _sources[source.id] = source
    for added, _removed in list(_listeners):
        added(source)
    return source


def unregister(source_id: str) -> None:
    if _sources.pop(source_id, None) is not None:
        for _added, removed in list(_listeners):
            removed(source_id)


@contextmanager
def temporarily(source: DiscoverySource) -> Iterator[DiscoverySource]:
    """Register ``source`` for the duration of a ``with`` block (a test-only source)."""
    _load()
    register(source)
    try:
        yield source
    finally:
        unregister(source.id)


def subscribe(added: Callable[[DiscoverySource], None], removed: Callable[[str], None]) -> None:
    """Call ``added`` for every source registered now and later, ``removed`` with the id of one that goes."""
    _load()
    _listeners.append((added, removed))
    for source in sources():
        added(source)


def parse_with(source: DiscoverySource, paths, *, max_bytes: int | None = None, names=None) -> DiscoveryResult:
    """Parse ``paths`` as one import of ``source``; raises DiscoveryInputError on unusable input."""
    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    result = source.parse(list(paths), names=list(names) if names else None, **kwargs)
    if not isinstance(result, DiscoveryResult):
        raise SourceError(f"discovery source {source.id}: parse returned {type(result).__name__}, "
                          "not a DiscoveryResult")
    result.source = source.id
    return result


def parse_files(source_id: str, paths, *, max_bytes: int | None = None, names=None) -> DiscoveryResult:
    return parse_with(require(source_id), paths, max_bytes=max_bytes, names=names)
