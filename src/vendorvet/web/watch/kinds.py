"""The kinds of monitoring event the watch app raises (registered from ``WatchConfig.ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendorvet.web.core.events import EventKind

PAGE_CHANGED = "watch_page_changed"
SUBPROCESSOR_ADDED = "watch_subprocessor_added"
SUBPROCESSOR_REMOVED = "watch_subprocessor_removed"
SUBPROCESSOR_MOVED = "watch_subprocessor_moved"
NEW_COUNTRY = "watch_new_country"
NO_TRANSFER_BASIS = "watch_no_transfer_basis"

KINDS = {
    PAGE_CHANGED: EventKind(gettext_lazy("Published page changed"), "legal", "low", 20),
    SUBPROCESSOR_ADDED: EventKind(gettext_lazy("New sub-processor published"), "legal", "medium", 21),
    SUBPROCESSOR_REMOVED: EventKind(gettext_lazy("Sub-processor no longer published"), "legal", "low", 22),
    SUBPROCESSOR_MOVED: EventKind(gettext_lazy("Published sub-processor changed country or purpose"), "legal",
                                  "medium", 23),
    NEW_COUNTRY: EventKind(gettext_lazy("New country in the published sub-processor list"), "legal", "medium", 24),
    NO_TRANSFER_BASIS: EventKind(gettext_lazy("Third country without a transfer basis"), "legal", "high", 25),
}


def register() -> None:
    from vendorvet.web.core.registry import registry

    for key, kind in KINDS.items():
        registry.event_kinds.register(key, kind)
