"""Enforce the second factor on every web request.

- A session whose user has a second factor but did not prove it (e.g. logged in through the Django admin's own
  login form) is sent to the second step.
- A user whose tenant (or the installation) requires a second factor and who has none is sent to enrolment
  before anything else. Logins through single sign-on are exempt: the identity provider's own MFA applies.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vendorvet.web.accounts.mfa import flow, freshness, policy

GUARDED_PREFIXES = ("/accounts/mfa/policy/",)
OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/accounts/login/", "/i18n/")


class MfaEnforcementMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._open(request.path):
            return self.get_response(request)
        method = request.session.get(flow.VERIFIED_KEY)
        if method not in (None, "password"):
            return self.get_response(request)  # verified by a factor, at enrolment, or through SSO
        if not freshness.known_without_factor(request):
            if policy.has_second_factor(user):
                return self._send(request, "mfa:verify", _("Confirm your sign-in with your second factor."))
            freshness.remember_without_factor(request)
        if policy.required_for(user, getattr(request, "memberships", None)):
            return self._send(request, "mfa:manage",
                              _("Your organisation requires two-factor authentication. Set up a second factor "
                                "to continue."))
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        if path.startswith(GUARDED_PREFIXES):
            return False  # an administrator without a factor must not relax the requirement before enrolling
        return path.startswith(OPEN_PREFIXES) or path.startswith(static)

    @staticmethod
    def _send(request, url_name: str, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return redirect(url_name)
