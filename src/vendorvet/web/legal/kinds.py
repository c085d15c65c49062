"""The kinds of monitoring event the legal app raises (registered from ``LegalConfig.ready()``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from vendorvet.web.core.events import EventKind

CONTRACT_DEADLINE, DPA_MISSING, SUBPROCESSOR_CHANGED = "contract_deadline", "dpa_missing", "subprocessor_changed"

KINDS = {
    CONTRACT_DEADLINE: EventKind(gettext_lazy("Contract deadline"), "calendar", "medium", 40),
    DPA_MISSING: EventKind(gettext_lazy("AVV/DPA missing"), "calendar", "high", 41),
    SUBPROCESSOR_CHANGED: EventKind(gettext_lazy("Sub-processor added or changed"), "legal", "medium", 10),
}
