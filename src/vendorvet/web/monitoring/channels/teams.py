"""Microsoft Teams incoming webhooks: the event as an Adaptive Card (unsigned; the URL is the secret)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendorvet.web.monitoring.channels.base import event_link
from vendorvet.web.monitoring.channels.webhook import WebhookChannel


class TeamsChannel(WebhookChannel):
    key = "teams"
    label = gettext_lazy("Microsoft Teams incoming webhook")
    needs_secret = False
    signed = False

    def payload(self, event) -> dict:
        link = event_link(event)
        return {
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": True,
                         "text": event.shown_title},
                        {"type": "TextBlock", "wrap": True, "text": event.shown_detail},
                        {"type": "FactSet", "facts": [
                            {"title": _("Severity"), "value": str(event.get_severity_display())},
                            {"title": _("What to do"), "value": event.shown_action or "–"}]},
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": _("Open in vendorvet"), "url": link}],
                },
            }],
        }
