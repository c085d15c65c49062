"""Security events, emitted anywhere, stored by the audit app (``vendorvet.web.audit``).

Any app can record that something security-relevant happened — an export, a download, a token's use, a 2FA
change — with one line::

    from vendorvet.web.core.security import audit
    audit("export.inventory", request=request, format="csv")

without importing the audit app: :func:`audit` sends :data:`security_event`, the audit app receives it and
appends it to the tamper-evident log. The tenant and the acting user default to the active ones (see
``core.context``); IP address and user agent come from ``request``. ``details`` must be plain JSON values and
never secrets (no passwords, keys, tokens, webhook URLs): the log is readable by administrators and exported to a
SIEM. Keys whose names look secret are dropped here as a second line of defence.
"""

from __future__ import annotations

import contextvars
import re
from typing import Any

from django.dispatch import Signal

from vendorvet.web.core.context import current_actor, current_tenant

# sender: None; kwargs: kind, tenant, user, ip, user_agent, details (dict), actor_kind
security_event = Signal()

SECRET_KEYS = re.compile(r"pass|secret|^key$|api_?key|signature|webhook|credential|recovery|session_key",
                         re.IGNORECASE)
MAX_DETAIL_TEXT = 500


# (ip, user agent) of the web request being served, for events emitted below the view layer (model saves)
_request_meta: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "vendorvet_request_meta", default=None)


def request_meta() -> tuple[str, str]:
    """(ip, user agent) of the current web request, or empty strings outside one."""
    return _request_meta.get() or ("", "")


class RequestMetaMiddleware:
    """Remember the client's address and user agent for the duration of a request (see :func:`request_meta`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_meta.set((client_ip(request), user_agent(request)))
        try:
            return self.get_response(request)
        finally:
            _request_meta.reset(token)


def client_ip(request) -> str:
    """The client's address as the WSGI server saw it (``vendorvet serve`` resolves trusted proxies itself)."""
    meta = getattr(request, "META", None) or {}
    return (meta.get("REMOTE_ADDR") or "")[:45]


def user_agent(request) -> str:
    meta = getattr(request, "META", None) or {}
    return (meta.get("HTTP_USER_AGENT") or "")[:300]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_DETAIL_TEXT]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(v) for v in list(value)[:100]]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if not SECRET_KEYS.search(str(k))}
    return str(value)[:MAX_DETAIL_TEXT]


def audit(kind: str, *, tenant=None, user=None, request=None, actor_kind: str | None = None, **details) -> None:
    """Record a security event (see the module docstring). Never raises for lack of a tenant or user."""
    actor = current_actor()
    if request is not None and getattr(request, "_request", None) is not None:
        request = request._request  # a DRF Request wraps the Django one
    if tenant is None:
        tenant = current_tenant()
        if tenant is None and request is not None:
            tenant = getattr(request, "tenant", None)
    if user is None:
        if actor is not None and actor.user is not None:
            user = actor.user
        elif request is not None and getattr(getattr(request, "user", None), "is_authenticated", False):
            user = request.user
    ip, agent = (client_ip(request), user_agent(request)) if request is not None else request_meta()
    security_event.send(
        sender=None, kind=kind, tenant=tenant, user=user, ip=ip, user_agent=agent,
        actor_kind=actor_kind or (actor.kind if actor is not None else ("user" if request is not None else "system")),
        details=_clean(details),
    )
