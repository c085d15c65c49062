"""A cache that lives for one pass over the dashboard's figures (one request, one snapshot), so two sections
that read the same aggregate (e.g. open events by severity and by kind) run its query once.

Outside a pass :func:`cached` simply calls the function. Keys should name the tenant when the result depends
on it; a pass is opened per tenant by the caller anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_pass: ContextVar[dict | None] = ContextVar("vendorvet_dashboard_pass", default=None)


@contextmanager
def dashboard_pass() -> Iterator[None]:
    token = _pass.set({})
    try:
        yield
    finally:
        _pass.reset(token)


def cached(key: str, compute: Callable[[], Any]) -> Any:
    store = _pass.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
