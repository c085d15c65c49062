"""Per request: is this session still valid (not ended elsewhere, not idle, not too old), rotate its key after
a privilege change, and keep a user who must change their password on the password page."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vendorvet.web.accounts.security import sessions
from vendorvet.web.accounts.security.authentication import session_row
from vendorvet.web.accounts.security.models import UserSession

EXEMPT_PREFIXES = ("/static/", "/i18n/")


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _end(self, request, message: str) -> None:
        logout(request)  # flushes the session; the request goes on as an anonymous one
        messages.info(request, message)

    def _check(self, request):
        session = request.session
        now = time.time()
        sid = session.get(sessions.SID_KEY)
        row = session_row(request)  # read with the user (authentication.py), else here
        if row is ...:
            row = UserSession.objects.filter(sid=sid, user=request.user).first() if sid else None
        if sid is None:  # a session from before sessions were recorded
            row = sessions.register(request, request.user)
        elif row is None:
            self._end(request, _("You were logged out: this session was ended from another session."))
            return None
        request.user_session = row  # the second-factor check reads its generation (no second query)
        seen = session.get(sessions.SEEN_KEY, now)
        if now - seen > sessions.idle_seconds():
            self._end(request, _("You were logged out after %(minutes)d minutes without activity.")
                      % {"minutes": sessions.idle_seconds() // 60})
            return None
        if now - session.get(sessions.LOGIN_AT_KEY, now) > sessions.max_seconds():
            self._end(request, _("Your session has ended after %(hours)d hours. Please log in again.")
                      % {"hours": sessions.max_seconds() // 3600})
            return None
        if now - seen >= min(60, sessions.idle_seconds() / 10):
            session[sessions.SEEN_KEY] = now
            sessions.touch(row, request)
        if row.rotate_pending:
            sessions.rotate(request)
            UserSession.objects.filter(pk=row.pk).update(rotate_pending=False)
        if session.get(sessions.MUST_CHANGE_KEY):
            return self._must_change(request)
        return None

    def _must_change(self, request):
        target = reverse("accounts:password_change")
        allowed = {target, reverse("accounts:logout")}
        if request.path in allowed or request.path.startswith(EXEMPT_PREFIXES):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Change your password first (web page “Change password”).")},
                                status=403)
        return redirect(target)
