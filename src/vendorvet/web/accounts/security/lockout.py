"""Login lockout on top of django-axes: per account and per client address, with an administrator unlock.

- A username is locked after ``AXES_FAILURE_LIMIT`` failed logins within the cool-off time, whatever the
  client; a client address is locked after ``VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT`` failed logins (any
  usernames). A lock ends after ``AXES_COOLOFF_TIME`` or when an administrator unlocks.
- The lock applies to unknown usernames exactly as to real ones, so the answer tells nothing about who exists.
- Every failure is recorded by axes (``AccessFailureLog``: username as typed, address, user agent, time) and
  Django's ``user_login_failed`` signal is sent as usual (also for a refused attempt while locked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The client address: waitress has already replaced it by the trusted proxy's X-Forwarded-For."""
    return request.META.get("REMOTE_ADDR") or None


def client_limit() -> int:
    return int(getattr(settings, "VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT", 20))


def account_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def cooloff_seconds() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds()) if cool_off else 0


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked username or client before any password is checked.

    Without a request (the command line, Django's test client) there is no remote client to lock out.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with separate limits for the account and the client address."""

    def get_failures(self, request, credentials=None) -> int:
        by_user, by_client = (qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
                              for qs in self.get_user_attempts(request, credentials))
        limit = get_failure_limit(request, credentials)
        if by_client >= client_limit():
            return max(by_user, limit)
        return by_user

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login: forget this user's failures from this address only (an attacker's
        failures from elsewhere, and other usernames' failures from this address, keep counting)."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lock explained, as HTTP 429 with Retry-After."""
    from vendorvet.web.accounts.forms import LoginForm

    minutes = max(1, round(cooloff_seconds() / 60))
    username = get_client_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    response = render(request, "accounts/login.html", {
        "form": form, "next": request.POST.get("next", "") if request.method == "POST" else "",
        "lockout_message": _(
            "Too many failed logins. Logging in with this username or from your network address is blocked "
            "for %(minutes)d minutes. Try again later, or ask an administrator to unlock it.") % {"minutes": minutes},
    }, status=429)
    response["Retry-After"] = str(max(1, cooloff_seconds()))
    return response


# -- what administrators see and undo ---------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    kind: str  # "username" or "address"
    value: str
    failures: int
    last_failure: datetime
    until: datetime


def _recent():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())


def current_locks(usernames: set[str] | None = None, with_addresses: bool = True) -> list[Lock]:
    """Usernames (only those in ``usernames`` if given) and, if asked, client addresses that are locked now."""
    cool_off = get_cool_off()
    locks: list[Lock] = []
    rows = _recent().exclude(username=None).values("username").annotate(n=Sum("failures_since_start"),
                                                                         last=Max("attempt_time"))
    for row in rows:
        if usernames is not None and row["username"] not in usernames:
            continue
        if row["n"] >= account_limit():
            locks.append(Lock("username", row["username"], row["n"], row["last"], row["last"] + cool_off))
    if with_addresses:
        rows = _recent().exclude(ip_address=None).values("ip_address").annotate(n=Sum("failures_since_start"),
                                                                                 last=Max("attempt_time"))
        for row in rows:
            if row["n"] >= client_limit():
                locks.append(Lock("address", row["ip_address"], row["n"], row["last"], row["last"] + cool_off))
    return sorted(locks, key=lambda lock: lock.last_failure, reverse=True)


def recent_failures(usernames: set[str] | None = None, limit: int = 50):
    qs = AccessFailureLog.objects.order_by("-attempt_time")
    if usernames is not None:
        qs = qs.filter(username__in=sorted(usernames))
    return list(qs[:limit])


def unlock_username(username: str) -> int:
    """Forget the failed logins of ``username`` (from every address). Returns how many records went."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


def unlock_address(address: str) -> int:
    count, _ = AccessAttempt.objects.filter(ip_address=address).delete()
    return count
