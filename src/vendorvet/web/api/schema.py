"""OpenAPI description of the API's authentication (imported by api.urls to register it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "vendorvet.web.api.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_(
                "An API token (vv_…), sent as `Authorization: Bearer <key>` or `Authorization: Token <key>`. "
                "Create one with `vendorvet token create` or POST /api/tokens/ while logged in; it acts in "
                "its tenant with its user's current role.")),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "vendorvet.web.api.authentication.TenantSessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": str(_("The web UI's login session (the tenant chosen there); writes need the CSRF "
                                 "token in the X-CSRFToken header.")),
        }


class ApiAutoSchema(AutoSchema):
    """Operation descriptions come only from ``extend_schema`` (translatable), never from docstrings,
    which are notes for developers."""

    def get_description(self):
        return ""
