"""API test helpers: tokens issued the real way, and API clients that present them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import acting


def issue(tenant, user, *, name="test token", days=90, read_only=False):
    """Issue a token for ``user`` in ``tenant`` (as the system, like an admin would); returns (token, key)."""
    from vendorvet.web.accounts.models import APIToken

    with acting(tenant):
        return APIToken.issue(user, name, days=days, read_only=read_only)


def client_with(key: str | None = None, keyword: str = "Token") -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.fixture
def token_for():
    """token_for(tenant, user, **kw) -> (APIToken, plain key)."""
    return issue


@pytest.fixture
def api_as():
    """api_as(tenant, user, **kw) -> APIClient authenticated with a fresh token of that user."""

    def make(tenant, user, **kwargs):
        _token, key = issue(tenant, user, **kwargs)
        return client_with(key)

    return make


@pytest.fixture
def anon_api():
    return APIClient()
