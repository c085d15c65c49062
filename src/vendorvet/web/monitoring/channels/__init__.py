"""Alert channels: classes behind one interface (:class:`~.base.AlertChannel`), registered in
``registry.alert_channels``. E-mail, webhook, Slack and Teams are this app's; a new channel is one module with
one class, registered from its app's ``ready()`` — the rule form, the API and the CLI list it from the registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from vendorvet.web.core.registry import registry
from vendorvet.web.monitoring.channels.base import AlertChannel, DeliveryError

__all__ = ["AlertChannel", "DeliveryError", "choices", "get", "register", "validate_channel"]


def register() -> None:
    """Called from ``MonitoringConfig.ready()``."""
    from vendorvet.web.monitoring.channels.email import EmailChannel
    from vendorvet.web.monitoring.channels.slack import SlackChannel
    from vendorvet.web.monitoring.channels.teams import TeamsChannel
    from vendorvet.web.monitoring.channels.webhook import WebhookChannel

    for cls in (EmailChannel, WebhookChannel, SlackChannel, TeamsChannel):
        registry.alert_channels.register(cls.key, cls())


def get(key: str) -> AlertChannel | None:
    return registry.alert_channels.get(key)


def choices() -> list[tuple[str, object]]:
    return registry.alert_channels.choices()


def label(key: str):
    channel = get(key)
    return channel.label if channel is not None else key


def validate_channel(value: str) -> None:
    if value not in registry.alert_channels:
        raise ValidationError(gettext_lazy("%(value)s is not a known alert channel."), params={"value": value},
                              code="invalid_choice")
