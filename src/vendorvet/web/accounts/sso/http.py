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
import ssl
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from vendorvet.engine.collectors.http import PinnedBackend
from vendorvet.engine.net import PolicyRefused, Resolver

MAX_BODY = 1024 * 1024
TIMEOUT = 10.0
LOOPBACK = ("127.0.0.0/8", "::1/128")


class ProviderError(Exception):
    """The identity provider could not be reached or answered something unusable (message safe to show)."""


def allowed_networks() -> tuple[str, ...]:
    extra = [n.strip() for n in os.environ.get("VENDORVET_SSO_ALLOW_NETWORKS", "").split(",") if n.strip()]
    valid = []
    for net in extra:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            continue
        valid.append(net)
    if getattr(settings, "VENDORVET_SSO_ALLOW_LOOPBACK", False):
        valid.extend(LOOPBACK)
    return tuple(valid)


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


class _Transport(httpx.HTTPTransport):
    def __init__(self, backend: PinnedBackend):
        import httpcore

        context = ssl.create_default_context()
        super().__init__(verify=context, trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=context, max_connections=2, max_keepalive_connections=2,
                                             network_backend=backend, retries=0)


def _client() -> httpx.Client:
    backend = PinnedBackend(Resolver(allow_private=False, allowed_networks=allowed_networks(), timeout=TIMEOUT))
    return httpx.Client(transport=_Transport(backend), timeout=TIMEOUT, follow_redirects=False, trust_env=False,
                        headers={"User-Agent": "vendorvet-sso", "Accept": "application/json",
                                 "Accept-Encoding": "identity"})


def request_json(method: str, url: str, **kwargs) -> dict:
    """One JSON request; ProviderError on policy refusal, network trouble, non-2xx or a body that is not JSON."""
    check_url(url)
    try:
        with _client() as client, client.stream(method, url, **kwargs) as response:
            body = b""
            for chunk in response.iter_raw():
                body += chunk
                if len(body) > MAX_BODY:
                    raise ProviderError("the identity provider's answer is too large")
            status = response.status_code
    except PolicyRefused as exc:
        raise ProviderError(str(exc).split(";")[0]) from None
    except httpx.HTTPError as exc:
        raise ProviderError(f"the identity provider did not answer ({type(exc).__name__})") from None
    except OSError as exc:
        raise ProviderError(f"the identity provider could not be reached ({type(exc).__name__})") from None
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
