"""API rate limits, answered with HTTP 429 and Retry-After (DRF's throttling).

- per token (or, for the browser session, per user): ``VENDORVET_API_RATE_TOKEN``;
- per client address, for every request: ``VENDORVET_API_RATE_CLIENT``; requests with no valid credentials
  get the stricter ``VENDORVET_API_RATE_ANON``;
- a token that fails to authenticate is counted against ``VENDORVET_API_RATE_ANON`` for its address before the
  401 is sent (DRF authenticates before it throttles, so guessing keys would otherwise never be limited).

The rates are read on each request from ``settings.VENDORVET_API_RATES``; the counters live in Django's
cache (per process with the default local-memory cache).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle


class _ConfiguredRate(SimpleRateThrottle):
    def get_rate(self):
        return settings.VENDORVET_API_RATES.get(self.scope)

    def __init__(self):  # the scope is chosen per request, so the rate is parsed in allow_request
        pass

    def allow_request(self, request, view):
        self.scope = self.scope_for(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def scope_for(self, request) -> str:
        raise NotImplementedError

    def get_ident(self, request):
        # Not X-Forwarded-For (a client can send any): waitress has put the trusted proxy's client address here.
        return request.META.get("REMOTE_ADDR", "")


class TokenRateThrottle(_ConfiguredRate):
    def scope_for(self, request) -> str:
        return "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and getattr(token, "key_id", None):
            return f"throttle_token_{token.key_id}"
        if request.user and request.user.is_authenticated:
            return f"throttle_user_{request.user.pk}"
        return None  # not authenticated: only the per-address limit applies


class ClientRateThrottle(_ConfiguredRate):
    def scope_for(self, request) -> str:
        authenticated = bool(request.user and request.user.is_authenticated)
        return "client" if authenticated else "anon"

    def get_cache_key(self, request, view):
        return f"throttle_{self.scope}_{self.get_ident(request)}"


class FailedTokenThrottle(_ConfiguredRate):
    def scope_for(self, request) -> str:
        return "anon"

    def get_cache_key(self, request, view):
        return f"throttle_badtoken_{self.get_ident(request)}"


def refuse_token_guessing(request) -> None:
    """Count a failed token for the client address; raise HTTP 429 (with Retry-After) when over the rate."""
    throttle = FailedTokenThrottle()
    if not throttle.allow_request(request, None):
        wait = throttle.wait()
        raise Throttled(wait=wait)
