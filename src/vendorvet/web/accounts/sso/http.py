"""Outbound HTTP to identity providers through the engine's SSRF guard.

Every connection goes to an address the engine's :class:`~vendorvet.engine.net.Resolver` resolved once and vetted
(no internal, loopback or metadata addresses), redirects are not followed, bodies are capped. The operator may
lift the guard for named ranges (``VENDORVET_SSO_ALLOW_NETWORKS``, e.g. an internal Keycloak) and for loopback
(``VENDORVET_SSO_ALLOW_LOOPBACK``, for tests and a provider on the same machine); plain ``http://`` is accepted only
for a loopback issuer with that switch on.
"""

from __future__ import annotations

import ipaddress
import json
import os
import base64
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings

from vendorvet.engine.collectors.http import HttpError, send
from vendorvet.engine.net import PolicyRefused, Resolver
from vendorvet.web.core.outbound import valid_networks

MAX_BODY = 1024 * 1024
TIMEOUT = 10.0
LOOPBACK = ("127.0.0.0/8", "::1/128")


class ProviderError(Exception):
    """The identity provider could not be reached or answered something unusable (message safe to show)."""


def allowed_networks() -> tuple[str, ...]:
    """The internal ranges an issuer may live in (``VENDORVET_SSO_ALLOW_NETWORKS``, parsed like the scan policy),
    plus loopback when the operator's test switch is on."""
    valid = valid_networks(os.environ.get("VENDORVET_SSO_ALLOW_NETWORKS", "").split(","))
    if getattr(settings, "VENDORVET_SSO_ALLOW_LOOPBACK", False):
        valid += LOOPBACK
    return valid


def _is_loopback_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def check_url(url: str) -> None:
    """Raise ProviderError unless ``url`` is https (or http to loopback when loopback is allowed)."""
    parts = urlsplit(url)
    if not parts.hostname or parts.username or parts.password:
        raise ProviderError(f"not a usable URL: {url[:200]}")
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback_host(parts.hostname) and \
            getattr(settings, "VENDORVET_SSO_ALLOW_LOOPBACK", False):
        return
    raise ProviderError(f"the identity provider must use https: {url[:200]}")


def request_json(method: str, url: str, *, data: dict | None = None, headers: dict | None = None,
                 auth: tuple[str, str] | None = None) -> dict:
    """One JSON request through the engine's hardened client (the one the scans and webhooks use); ProviderError
    on policy refusal, network trouble, non-2xx or a body that is not JSON."""
    check_url(url)
    send_headers = {"User-Agent": "vendorvet-sso", "Accept": "application/json", "Accept-Encoding": "identity",
                    **(headers or {})}
    body = b""
    if data is not None:
        body = urlencode(data).encode()
        send_headers["Content-Type"] = "application/x-www-form-urlencoded"
    if auth is not None:  # client_secret_basic (RFC 6749 §2.3.1: form-encoded, then Basic)
        pair = f"{quote(auth[0], safe='')}:{quote(auth[1], safe='')}".encode()
        send_headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    resolver = Resolver(allow_private=False, allowed_networks=allowed_networks(), timeout=TIMEOUT)
    try:
        answer = send(method, url, body, send_headers, resolver, timeout=TIMEOUT, max_body=MAX_BODY + 1)
    except PolicyRefused as exc:
        raise ProviderError(str(exc).split(";")[0]) from None
    except HttpError as exc:
        raise ProviderError(f"the identity provider did not answer ({type(exc).__name__})") from None
    except OSError as exc:
        raise ProviderError(f"the identity provider could not be reached ({type(exc).__name__})") from None
    if answer.body_truncated or len(answer.body) > MAX_BODY:
        raise ProviderError("the identity provider's answer is too large")
    status, body = answer.status, answer.body
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not 200 <= status < 300:
        error = data.get("error") if isinstance(data, dict) else None
        raise ProviderError(f"the identity provider answered HTTP {status}" + (f" ({str(error)[:80]})" if error else ""))
    if not isinstance(data, dict):
        raise ProviderError("the identity provider's answer is not a JSON object")
    return data
