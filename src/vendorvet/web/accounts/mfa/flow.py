"""The second login step: after the password, a user with a second factor proves possession of it.

The user is not logged in until then: the password step only leaves a short-lived "pending" record in the
session. ``VERIFIED_KEY`` in the session says how the current login was completed (``totp``, ``passkey``,
``recovery``, ``password`` for users without a factor, or ``sso``) — the enforcement middleware reads it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model, login as auth_login
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from vendorvet.web.accounts.mfa.policy import has_second_factor

PENDING_KEY = "vv_mfa_pending"
VERIFIED_KEY = "vv_mfa"
PENDING_SECONDS = 300
MAX_FAILURES = 5


def second_step(request, user, redirect_to: str):
    """Called by the login view after a correct password: a redirect to the second step, or None."""
    if not has_second_factor(user):
        request.session[VERIFIED_KEY] = "password"  # survives login()'s key rotation
        return None
    request.session[PENDING_KEY] = {"uid": user.pk, "backend": user.backend, "next": redirect_to,
                                    "at": time.time(), "failures": 0}
    return redirect("mfa:verify")


def pending_user(request):
    """The user who passed the password step (or is logged in but not yet verified), or None."""
    if request.user.is_authenticated:
        if request.session.get(VERIFIED_KEY) in (None, "password") and has_second_factor(request.user):
            return request.user
        return None
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending["uid"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def note_failure(request) -> bool:
    """Count a wrong code; True when the pending login is dropped (back to the password)."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return False
    pending["failures"] = pending.get("failures", 0) + 1
    if pending["failures"] >= MAX_FAILURES:
        request.session.pop(PENDING_KEY, None)
        return True
    request.session[PENDING_KEY] = pending
    return False


def complete(request, user, method: str):
    """Log the user in (if only pending) and mark the session verified; the redirect to where they wanted to go."""
    pending = request.session.pop(PENDING_KEY, None) or {}
    if not request.user.is_authenticated:
        auth_login(request, user, backend=pending.get("backend"))
    else:
        request.session.cycle_key()  # a privilege change: a fresh session id
    request.session[VERIFIED_KEY] = method
    target = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = ""
    return redirect(target or settings.LOGIN_REDIRECT_URL)
