"""The sessions a user has open: recorded at login, idle and absolute time-outs, rotation on privilege change.

Every login writes a :class:`UserSession` row and puts its ``sid`` into the (server-side) session. A session
whose row is gone is logged out on its next request — that is how "log out my other sessions" works with any
session store, and the session key itself is never copied anywhere.
"""

from __future__ import annotations

import re
import secrets
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from vendorvet.web.accounts.models import Membership
from vendorvet.web.accounts.security.lockout import client_ip
from vendorvet.web.accounts.security.models import AccountState, UserSession

SID_KEY = "vv_sid"
LOGIN_AT_KEY = "vv_login_at"
SEEN_KEY = "vv_seen"
MUST_CHANGE_KEY = "vv_must_change_password"


def idle_seconds() -> int:
    return int(settings.VENDORVET_SESSION_IDLE_SECONDS)


def max_seconds() -> int:
    return int(settings.VENDORVET_SESSION_MAX_SECONDS)


def _agent(request) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:300]


def register(request, user) -> UserSession:
    """Record the request's session as one of ``user``'s sessions (at login)."""
    sid = secrets.token_hex(16)
    row = UserSession.objects.create(user=user, sid=sid, ip_address=client_ip(request), user_agent=_agent(request))
    now = time.time()
    request.session[SID_KEY] = sid
    request.session[LOGIN_AT_KEY] = request.session.get(LOGIN_AT_KEY) or now
    request.session[SEEN_KEY] = now
    if AccountState.objects.filter(user=user, must_change_password=True).exists():
        request.session[MUST_CHANGE_KEY] = True
    return row


@receiver(user_logged_in, dispatch_uid="vendorvet_session_login")
def _on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(LOGIN_AT_KEY, None)
    register(request, user)


@receiver(user_logged_out, dispatch_uid="vendorvet_session_logout")
def _on_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    sid = session.get(SID_KEY) if session is not None else None
    if sid:
        UserSession.objects.filter(sid=sid).delete()


def _privilege_changed(user_id) -> None:
    UserSession.objects.filter(user_id=user_id).update(rotate_pending=True)


@receiver(post_save, sender=Membership, dispatch_uid="vendorvet_session_membership_saved")
def _on_membership_saved(sender, instance, **kwargs):
    _privilege_changed(instance.user_id)


@receiver(post_delete, sender=Membership, dispatch_uid="vendorvet_session_membership_deleted")
def _on_membership_deleted(sender, instance, **kwargs):
    _privilege_changed(instance.user_id)


def rotate(request) -> None:
    """A new session key for the same session (the old key stops working)."""
    request.session.cycle_key()


def sessions_of(user):
    return UserSession.objects.filter(user=user).order_by("-last_activity")


def current_sid(request) -> str | None:
    return request.session.get(SID_KEY)


def end_other_sessions(request, user) -> int:
    """Log out every other session of ``user``; they notice at their next request."""
    count, _ = UserSession.objects.filter(user=user).exclude(sid=current_sid(request) or "").delete()
    return count


def end_all_sessions(user) -> int:
    count, _ = UserSession.objects.filter(user=user).delete()
    return count


def touch(row: UserSession, request) -> None:
    row.last_activity = timezone.now()
    row.ip_address = client_ip(request)
    row.user_agent = _agent(request)
    UserSession.objects.filter(pk=row.pk).update(last_activity=row.last_activity, ip_address=row.ip_address,
                                                 user_agent=row.user_agent)


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"), ("curl/", "curl")]
_SYSTEMS = [("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Mac OS X", "macOS"), ("Linux", "Linux")]


def describe_agent(agent: str) -> tuple[str, str]:
    """(browser, operating system) from a user agent string, '' where unknown."""
    browser = next((name for marker, name in _BROWSERS if marker in agent), "")
    if "HeadlessChrome/" in agent:
        browser = "Chrome (headless)"
    system = next((name for marker, name in _SYSTEMS if re.search(re.escape(marker), agent)), "")
    return browser, system
