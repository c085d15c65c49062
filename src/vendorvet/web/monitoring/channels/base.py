"""The interface of an alert channel, and what every channel's message is made of.

A channel is a class registered in ``registry.alert_channels`` under its key (the value stored in an alert
rule's ``channel``). It checks a rule's settings (:meth:`AlertChannel.clean`), builds the message for one
event (:meth:`AlertChannel.payload`) and sends it (:meth:`AlertChannel.deliver`); a channel that can collect
a day's events in one message (e-mail) also implements :meth:`AlertChannel.deliver_digest`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


class DeliveryError(Exception):
    """Sending failed; the message is stored on the delivery (no secrets in it)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class AlertChannel:
    key: str = ""
    label: Any = ""  # gettext_lazy: shown in the rule form and lists
    uses_url: bool = False  # the rule's URL field is this channel's destination
    needs_secret: bool = False  # the rule's signing secret is required
    supports_digest: bool = False  # can collect the day's events in one message

    def clean(self, data: dict, allow_private: bool) -> dict[str, list[str]]:
        """Errors per field of the rule's settings (``data``: the rule form's cleaned data); empty when valid.
        May normalise ``data`` (e.g. switch off the digest a channel cannot send)."""
        return {}

    def payload(self, event) -> dict | None:
        """The message for one event (JSON-like), or None when the channel does not send JSON."""
        return None

    def deliver(self, rule, event) -> int | None:
        """Send one event through ``rule``; returns the receiver's status (if any) or raises DeliveryError."""
        raise NotImplementedError

    def deliver_digest(self, rule, events: list) -> None:
        """Send the collected ``events`` in one message; raises DeliveryError."""
        raise DeliveryError(f"the channel {self.key} sends no digests")


# --------------------------------------------------------------------------- the content of an alert

def base_url() -> str:
    return (getattr(settings, "VENDORVET_BASE_URL", "") or "http://localhost:8000").rstrip("/")


def event_link(event) -> str:
    if event.integration_id:
        return base_url() + event.integration.get_absolute_url()
    if event.vendor_id:
        return base_url() + event.vendor.get_absolute_url()
    return base_url() + event.get_absolute_url()


def event_data(event) -> dict:
    """The generic description of an event (the webhook body)."""
    return {
        "event": {
            "id": event.pk, "kind": event.kind, "severity": event.severity, "title": event.shown_title,
            "what_changed": event.shown_detail, "what_to_do": event.shown_action, "before": event.before,
            "after": event.after,
            "first_seen": event.first_seen.isoformat(), "last_seen": event.last_seen.isoformat(),
            "occurrences": event.occurrences, "state": event.state,
        },
        "integration": ({"id": event.integration_id, "name": event.integration.name}
                        if event.integration_id else None),
        "vendor": {"id": event.vendor_id, "name": event.vendor.name} if event.vendor_id else None,
        "tenant": event.tenant.slug,
        "link": event_link(event),
    }
