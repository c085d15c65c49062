"""Discovery sources on the web side.

The list is the engine's (:mod:`vendorvet.engine.discovery.registry`: one module per source);
:func:`mirror`, called from ``DiscoveryConfig.ready()``, keeps ``web.core.registry.discovery_sources`` equal
to it — also for sources registered later (a plugin, a test). The upload form, the API serializers, the
validator of ``ImportRun.source`` and the importer read that collection, so a new source needs no edit here
and no migration.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vendorvet.engine.discovery import registry as engine_sources
from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.source import DiscoverySource
from vendorvet.web.core.registry import registry

_mirrored = False


def mirror() -> None:
    """Register every engine source in the web registry, now and whenever one is added or removed."""
    global _mirrored
    if _mirrored:
        return
    _mirrored = True

    def added(source: DiscoverySource) -> None:
        if source.id not in registry.discovery_sources:
            registry.discovery_sources.register(source.id, source)

    engine_sources.subscribe(added, registry.discovery_sources.unregister)


def all_sources() -> list[DiscoverySource]:
    return sorted(registry.discovery_sources.values(), key=lambda s: (s.order, s.id))


def get(source_id: str) -> DiscoverySource | None:
    return registry.discovery_sources.get(source_id)


def require(source_id: str) -> DiscoverySource:
    """The registered source, or a DiscoveryInputError naming the known ones."""
    source = get(source_id)
    if source is None:
        known = ", ".join(s.id for s in all_sources())
        raise DiscoveryInputError(f"unknown discovery source {source_id!r} (known: {known})",
                                  code="unknown_source", params={"source": source_id})
    return source


def label(source_id: str) -> str:
    """The source's name in the active language (for a source no longer installed: a generic name)."""
    source = get(source_id)
    return source.label_in(get_language()) if source is not None else _("Source no longer available")


def choices() -> list[tuple[str, str]]:
    """(id, label) pairs in the active language, for a form field (callable: read at every use)."""
    language = get_language()
    return [(s.id, s.label_in(language)) for s in all_sources()]


def descriptions() -> list[dict]:
    """What each source reads, for the upload page: label, help text and accepted file kinds."""
    language = get_language()
    return [{"id": s.id, "label": s.label_in(language), "help": s.help_in(language),
             "kinds": ", ".join(s.file_kinds_in(language))} for s in all_sources()]


def validate_source(value: str) -> None:
    """Validator of ``ImportRun.source``: a registered source (instead of model choices and migrations)."""
    if value not in registry.discovery_sources:
        raise ValidationError(_("“%(value)s” is not a known discovery source."), code="invalid_choice",
                              params={"value": value})
