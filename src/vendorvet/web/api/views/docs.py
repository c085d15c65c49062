"""OpenAPI document and Swagger UI, served from the sidecar package (no CDN).

The site's CSP forbids inline script and inline style. drf-spectacular's split
Swagger view loads its start-up code as a separate script, so ``script-src 'self'``
holds unchanged. The page template still has one small inline ``<style>`` block; for
this one view ``style-src`` additionally allows exactly that block by its SHA-256
hash (computed from the rendered page, so it follows upstream template changes)
— never ``'unsafe-inline'``.

ReDoc is not offered: its bundle injects ``<style>`` elements at run time (it would
need ``style-src 'unsafe-inline'``) and drf-spectacular's page loads Google Fonts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

STYLE_BLOCK = re.compile(rb"<style\b[^>]*>(.*?)</style>", re.S | re.I)


def style_hashes(content: bytes) -> list[str]:
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode("ascii") + "'"
        for block in STYLE_BLOCK.findall(content)
    ]


def policy_with_style_hashes(policy: str, hashes: list[str]) -> str:
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    if hashes:
        directives = [f"{d} {' '.join(hashes)}" if d.split()[0] == "style-src" else d for d in directives]
        if not any(d.split()[0] == "style-src" for d in directives):
            directives.append("style-src 'self' " + " ".join(hashes))
    return "; ".join(directives)


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (YAML by default; ``?format=json`` or ``Accept: application/json``)."""


class SwaggerDocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"
    title = _("vendorvet API")

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is not None:
            ui_settings = spectacular_settings.SWAGGER_UI_SETTINGS
            if isinstance(ui_settings, dict):
                # no request to the public validator at validator.swagger.io
                response.data["settings"] = json.dumps({**ui_settings, "validatorUrl": None}, indent=2)
        else:
            response.add_post_render_callback(self._set_policy)
        return response

    @staticmethod
    def _set_policy(response):
        response["Content-Security-Policy"] = policy_with_style_hashes(
            settings.CONTENT_SECURITY_POLICY, style_hashes(response.content))
        return response
