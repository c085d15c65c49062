"""Slack incoming webhooks: the event as a message with a link (unsigned; the URL is the secret)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendorvet.web.monitoring.channels.base import event_link
from vendorvet.web.monitoring.channels.webhook import WebhookChannel


class SlackChannel(WebhookChannel):
    key = "slack"
    label = gettext_lazy("Slack incoming webhook")
    needs_secret = False
    signed = False

    def payload(self, event) -> dict:
        link = event_link(event)
        text = (f"*{event.shown_title}*\n{event.shown_detail}\n{_('What to do')}: {event.shown_action or '–'}\n"
                f"<{link}|{_('Open in vendorvet')}>")
        return {"text": f"[{event.get_severity_display()}] {event.shown_title}",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
