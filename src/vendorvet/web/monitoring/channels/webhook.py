"""Signed JSON webhooks (and the base of the chat channels): sent through the engine's hardened HTTP client.

Webhook URLs are connected through the engine's SSRF guard (``engine.net``) under the operator's outbound policy
(``core.outbound``): a URL that resolves to an internal address is refused unless the operator allowed its range
(loopback and cloud metadata never), at configuration and again at every delivery. Failed deliveries are retried with exponential back-off by the monitoring tick.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendorvet.web.core import outbound
from vendorvet.web.monitoring.channels.base import AlertChannel, DeliveryError, event_data

SIGNATURE_HEADER = "X-Vendorvet-Signature"
USER_AGENT = "vendorvet-monitoring"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def private_allowed() -> bool:
    """Plain http:// is accepted only where the operator's policy lets the application reach internal
    receivers (an allowed range, or the test-only loopback override); whether the address may be reached is
    decided by the guard itself."""
    return outbound.internal_reachable()


def webhook_refusal(url: str, allow_private: bool) -> str | None:
    """Why the SSRF guard refuses this webhook URL (checked again on every delivery), or None."""
    from vendorvet.engine.net import Resolver

    parts = urlsplit(url)
    if not parts.hostname:
        return str(_("Enter a complete URL."))
    try:
        Resolver(timeout=5, **outbound.resolver_options()).vetted(parts.hostname, parts.port or 443)
    except OSError as exc:
        return str(_("This URL cannot be used: %(reason)s") % {"reason": exc})
    return None


def post_json(url: str, body: bytes, headers: dict, allow_private: bool) -> int:
    """POST through the engine's pinned, SSRF-guarded httpx client; the 2xx status or :class:`DeliveryError`
    (connection errors and the SSRF guard's refusal propagate as they are)."""
    from vendorvet.engine.collectors.http import send
    from vendorvet.engine.net import Resolver
    from vendorvet.web.monitoring.conf import config

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(_("not an http(s) URL"))
    timeout = float(config()["webhook"]["timeout_seconds"])
    exchange = send("POST", url, body, {**headers, "User-Agent": USER_AGENT},
                    Resolver(timeout=timeout, **outbound.resolver_options()), timeout=timeout)
    if not 200 <= exchange.status < 300:
        raise DeliveryError(f"HTTP {exchange.status}", exchange.status)
    return exchange.status


class WebhookChannel(AlertChannel):
    key = "webhook"
    label = gettext_lazy("Webhook (JSON, signed)")
    uses_url = True
    needs_secret = True
    signed = True

    def clean(self, data: dict, allow_private: bool) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        url = (data.get("url") or "").strip()
        if not url:
            errors["url"] = [_("A webhook channel needs its URL.")]
        elif urlsplit(url).scheme != "https" and not allow_private:
            errors["url"] = [_("Use an https:// URL.")]
        else:
            reason = webhook_refusal(url, allow_private)
            if reason:
                errors["url"] = [reason]
        if self.needs_secret and not (data.get("secret") or "").strip():
            errors["secret"] = [_("A generic webhook needs a signing secret (the receiver checks the signature).")]
        data["digest"] = False
        return errors

    def payload(self, event) -> dict:
        return event_data(event)

    def deliver(self, rule, event) -> int:
        body = json.dumps(self.payload(event), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.signed and rule.secret:
            headers[SIGNATURE_HEADER] = sign(rule.secret, body)
        return post_json(rule.url, body, headers, allow_private=private_allowed())
