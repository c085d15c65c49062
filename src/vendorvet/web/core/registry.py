"""The registry: what each app contributes to the others, filled from ``AppConfig.ready()``.

In the spirit of NetBox's registry: the apps depend one way
(``engine ← core ← accounts ← inventory ← {scans, discovery, supplychain, legal} ← {assessments, monitoring}``),
and whatever an app offers elsewhere — an event kind, a calendar check, an alert channel, a discovery source,
a review-evidence provider, API routes, a menu entry, a panel on the integration or vendor page, a hook that
recovers lost background work — it registers here instead of being imported by the consumer.

Nothing here imports an app: entries are plain objects (classes, callables, dataclasses) handed in by the apps.
A second registration under the same key raises, so two apps cannot silently shadow each other; tests that
register a test-only entry use :meth:`Collection.temporarily`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class RegistryError(LookupError):
    pass


class Collection(Generic[T]):
    """An ordered, keyed collection of one kind of contribution."""

    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if not key or not isinstance(key, str):
            raise RegistryError(f"{self.name}: a key must be a non-empty string")
        if key in self._items:
            raise RegistryError(f"{self.name}: {key!r} is registered already")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str, default: Any = None) -> T | Any:
        return self._items.get(key, default)

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise RegistryError(f"{self.name}: nothing registered as {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def choices(self, label: Callable[[T], Any] | None = None) -> list[tuple[str, Any]]:
        """(key, label) pairs for a form or serializer field; the label is ``item.label`` unless given."""
        if label is None:
            return [(key, getattr(item, "label", None) or key) for key, item in self._items.items()]
        return [(key, label(item)) for key, item in self._items.items()]

    @contextmanager
    def temporarily(self, key: str, item: T):
        """Register ``item`` for the duration of a ``with`` block (tests: a test-only source or channel)."""
        self.register(key, item)
        try:
            yield item
        finally:
            self.unregister(key)


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str = "view"
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A panel on an object's page: a URL name that takes the object's primary key and returns HTML."""

    url_name: str
    order: int = 100


@dataclass(frozen=True)
class DashboardFigure:
    """One count on the dashboard and the filtered list behind it (the list shows the same count)."""

    key: str
    label: Any
    count: int | None  # None: the figure cannot be computed (yet) — ``reason`` says why; never shown as 0
    url: str
    tone: str = ""  # "" | "warn" | "bad": how the dashboard marks a non-zero count
    reason: Any = ""  # why there is no count (e.g. "no scan yet"), in the reader's language
    total: int | None = None  # the base a share is taken of (e.g. integrations with personal data)


@dataclass(frozen=True)
class IntegrationFacet:
    """A named filter of the integration list that another app contributes (``?facet=<key>``), e.g. "processes
    personal data without an AVV/DPA": ``apply(queryset)`` narrows the tenant's integrations. Dashboard figures
    count with the same function, so a figure and the list it links to agree."""

    label: Any
    apply: Callable[[Any], Any]


@dataclass(frozen=True)
class DashboardSection:
    """A block of figures on the dashboard: ``figures()`` runs inside the active tenant."""

    label: Any
    figures: Callable[[], list]
    order: int = 100
    # optional, for the service-provider view: the section's counts for several tenants at once (the caller
    # has checked the memberships) as {tenant id: {figure key: count}} — a few grouped queries instead of a
    # pass per tenant
    per_tenant: Callable[[list], dict] | None = None
    template: str = ""  # optional block shown under the figures (e.g. the reports app's download buttons)


@dataclass
class Registry:
    # monitoring
    event_kinds: Collection = field(default_factory=lambda: Collection("event kinds"))
    calendar_checks: Collection = field(default_factory=lambda: Collection("calendar checks"))
    alert_channels: Collection = field(default_factory=lambda: Collection("alert channels"))
    # discovery
    discovery_sources: Collection = field(default_factory=lambda: Collection("discovery sources"))
    # review
    evidence_providers: Collection = field(default_factory=lambda: Collection("review-evidence providers"))
    # background work: callables that re-queue work whose lease ran out (run by the scheduler and workers)
    recovery_hooks: Collection = field(default_factory=lambda: Collection("recovery hooks"))
    # web
    api_routes: Collection = field(default_factory=lambda: Collection("API routes"))
    nav_items: Collection = field(default_factory=lambda: Collection("navigation"))
    integration_panels: Collection = field(default_factory=lambda: Collection("integration panels"))
    vendor_panels: Collection = field(default_factory=lambda: Collection("vendor panels"))
    dashboard_sections: Collection = field(default_factory=lambda: Collection("dashboard sections"))
    integration_facets: Collection = field(default_factory=lambda: Collection("integration list facets"))
    # per-tenant work the monitoring tick runs on every pass (e.g. the dashboard's weekly snapshot)
    periodic_hooks: Collection = field(default_factory=lambda: Collection("periodic hooks"))
    # per-tenant periodic work that reaches vendors' servers (e.g. watched pages): run by the tick only while the
    # tenant's scheduled monitoring is switched on, like the re-scans
    scheduled_checks: Collection = field(default_factory=lambda: Collection("scheduled checks"))
    # stored key -> callable(code) -> its label in the active language (e.g. "data_categories": "personal" ->
    # "personenbezogene Daten"), for core.texts.human and stored event texts (core.messages.Labels)
    value_labels: Collection = field(default_factory=lambda: Collection("value labels"))
    # free-form hooks: name -> callable (e.g. the monitoring sink, the tenant memberships of a user)
    hooks: Collection = field(default_factory=lambda: Collection("hooks"))

    def sorted(self, collection: Collection) -> list:
        return sorted(collection.values(), key=lambda item: getattr(item, "order", 100))


registry = Registry()
