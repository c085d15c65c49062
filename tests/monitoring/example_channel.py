"""A test-only alert channel: the whole of what adding a channel takes (this one module, one class).

"Pager" posts a small JSON page to the rule's URL through the same SSRF-guarded client as the webhooks.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _

from vendorvet.web.monitoring.channels.base import AlertChannel
from vendorvet.web.monitoring.channels.webhook import WebhookChannel, post_json, private_allowed


class PagerChannel(AlertChannel):
    key = "pager"
    label = _("Pager (test)")
    uses_url = True

    def clean(self, data: dict, allow_private: bool) -> dict[str, list[str]]:
        errors = WebhookChannel().clean(data, allow_private)  # the same URL rules as a webhook
        errors.pop("secret", None)
        return errors

    def payload(self, event) -> dict:
        return {"page": event.shown_title, "severity": event.severity, "kind": event.kind}

    def deliver(self, rule, event) -> int:
        body = json.dumps(self.payload(event)).encode()
        return post_json(rule.url, body, {"Content-Type": "application/json"}, allow_private=private_allowed())
