"""API authentication: hashed, tenant-bound tokens; or the web session (CSRF-checked)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from vendorvet.web.accounts.models import APIToken
from vendorvet.web.api.throttling import refuse_token_guessing
from vendorvet.web.core.security import audit

LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token vv_<id>.<secret>`` (``Bearer`` is accepted too)."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            presented = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = APIToken.authenticate(presented)
        if token is None:
            refuse_token_guessing(request)  # 429 once an address sends too many bad tokens
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_RESOLUTION:
            APIToken.all_tenants.filter(pk=token.pk).update(last_used=now)
            audit("token.used", tenant=token.tenant, user=token.user, request=request, actor_kind="token",
                  token_id=token.pk)  # recorded at most once per token and hour
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class TenantSessionAuthentication(authentication.SessionAuthentication):
    """The browser session of the web UI (tenant chosen there), with DRF's CSRF check."""
