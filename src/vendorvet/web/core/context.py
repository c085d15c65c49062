"""Who acts, for which tenant — carried in context variables.

Every write is attributed to an :class:`Actor` (a web user, an API token, a CLI
user, a background task) and every tenant-owned query is scoped to the active
tenant. Web middleware, the API, the CLI and tasks enter these contexts; model
code reads them. Nothing here imports Django models, so it is safe to import anywhere.
"""

from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from django.core.exceptions import PermissionDenied


class TenantScopeError(RuntimeError):
    """A tenant-owned table was queried or written with no tenant active."""


class ActorRequiredError(RuntimeError):
    """A change-logged object was written with no actor to attribute it to."""


class PermissionDeniedError(PermissionDenied, PermissionError):
    """The acting user's role in the active tenant does not allow this (HTTP 403 in web and API)."""


ACTOR_KINDS = ("user", "token", "cli", "task", "system")


@dataclass(frozen=True)
class Actor:
    kind: str
    label: str
    user: Any = None  # django.contrib.auth User, or None
    token: Any = None  # accounts.APIToken, or None
    role: str | None = None  # role in the active tenant, resolved on entry
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def __post_init__(self) -> None:
        if self.kind not in ACTOR_KINDS:
            raise ValueError(f"unknown actor kind {self.kind!r}")

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(kind="system", label=label, role="admin")


_tenant: contextvars.ContextVar[Any] = contextvars.ContextVar("vendorvet_tenant", default=None)
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("vendorvet_actor", default=None)
# set while a whole tenant is deleted: its history goes with it, so the cascade's SET_NULL updates log nothing
_tenant_deletion: contextvars.ContextVar[bool] = contextvars.ContextVar("vendorvet_tenant_deletion", default=False)


@contextmanager
def tenant_deletion() -> Iterator[None]:
    token = _tenant_deletion.set(True)
    try:
        yield
    finally:
        _tenant_deletion.reset(token)


def deleting_tenant() -> bool:
    return _tenant_deletion.get()


def current_tenant() -> Any:
    return _tenant.get()


def current_actor() -> Actor | None:
    return _actor.get()


def require_tenant() -> Any:
    tenant = _tenant.get()
    if tenant is None:
        raise TenantScopeError("no tenant is active; enter use_tenant(...) or use the all_tenants manager explicitly")
    return tenant


def require_actor() -> Actor:
    actor = _actor.get()
    if actor is None:
        raise ActorRequiredError("no actor is active; every change must be attributed (enter acting_as(...))")
    return actor


@contextmanager
def use_tenant(tenant: Any) -> Iterator[Any]:
    token = _tenant.set(tenant)
    try:
        yield tenant
    finally:
        _tenant.reset(token)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextmanager
def tenant_session(tenant: Any, actor: Actor) -> Iterator[Actor]:
    """Enter a tenant and an actor together (the usual case for CLI and tasks)."""
    with use_tenant(tenant), acting_as(actor):
        yield actor


def set_for_request(tenant: Any, actor: Actor | None) -> tuple[contextvars.Token, contextvars.Token]:
    """Set both variables; the caller must pass the result to :func:`reset_for_request`."""
    return _tenant.set(tenant), _actor.set(actor)


def reset_for_request(tokens: tuple[contextvars.Token, contextvars.Token]) -> None:
    tenant_token, actor_token = tokens
    _actor.reset(actor_token)
    _tenant.reset(tenant_token)
