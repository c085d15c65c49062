"""API routes as registry entries, one URL scheme, and the deprecated aliases of the old paths.

Every app describes its resources with :class:`ApiRoutes` and registers them from ``AppConfig.ready()``::

    registry.api_routes.register("legal", ApiRoutes("legal", (
        Resource("contracts", ContractViewSet, "legal-contract"),
        Resource("transfer-assessments", TransferAssessmentViewSet, "legal-transfer-assessment",
                 old_paths=("legal/assessments",)),
    )))

and ``api.urls`` builds ``/api/<app>/<resource>/`` from whatever is registered — it imports no feature app.
A view set becomes router routes (list, detail, actions); any other DRF view is mounted at exactly its path.

A path an app used before the scheme stays as an alias (``old_paths``, relative to ``/api/``): the same view,
the same answers, plus ``Deprecation: @<unix time>`` (RFC 9745), ``Link: <new path>; rel="successor-version"``
and ``Sunset`` (RFC 8594) headers; in the OpenAPI document its operations are marked ``deprecated``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.routers import SimpleRouter
from rest_framework.viewsets import ViewSetMixin

from vendorvet.web.api.schema import DEPRECATED_TAG, DeprecatedAutoSchema

# When the old paths were deprecated, and the date from which they may stop answering.
DEPRECATED_ON = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
SUNSET_ON = dt.datetime(2027, 12, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Resource:
    path: str  # under /api/<app>/, e.g. "integrations" or "tier-policy"
    view: type  # a DRF view set (router routes) or any other DRF view (one path)
    basename: str  # URL name prefix, e.g. "inventory-integration"
    old_paths: tuple[str, ...] = ()  # earlier paths under /api/, still answered as deprecated aliases


@dataclass(frozen=True)
class ApiRoutes:
    app: str  # the first path segment: /api/<app>/
    resources: tuple[Resource, ...]


class DeprecatedAlias:
    """Mixed in front of a view served at an old path: adds the deprecation headers to every answer."""

    deprecated_alias = True  # read by the schema's operation sorter (deprecated paths last)
    old_prefix = ""  # "/integrations/" — the part of the request path that changed
    new_prefix = ""  # "/inventory/integrations/"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Deprecation"] = f"@{int(DEPRECATED_ON.timestamp())}"
        response["Sunset"] = format_datetime(SUNSET_ON, usegmt=True)
        response["Link"] = f'<{successor_url(request, self.old_prefix, self.new_prefix)}>; rel="successor-version"'
        return response


def successor_url(request, old_prefix: str, new_prefix: str) -> str:
    """The request's path (and query) with the old prefix after ``/api`` replaced by the new one."""
    full = request.get_full_path()
    for raw, quoted in (("<", "%3C"), (">", "%3E"), ('"', "%22")):  # keep the Link header's <…> syntax intact
        full = full.replace(raw, quoted)
    i = full.find(old_prefix, max(full.find("/api/") + 4, 0))
    return full if i < 0 else full[:i] + new_prefix + full[i + len(old_prefix):]


def deprecated_view(view: type, old: str, new: str) -> type:
    attrs = {"old_prefix": f"/{old}/", "new_prefix": f"/{new}/", "__module__": view.__module__,
             "__doc__": view.__doc__}
    if issubclass(view, ViewSetMixin):
        attrs["lookup_value_regex"] = "[0-9]+"  # never shadow the new /api/<app>/<resource>/ paths
    attrs["schema"] = DeprecatedAutoSchema()  # the base of every operation's schema (set before extend_schema)
    alias = type(f"Deprecated{view.__name__}", (DeprecatedAlias, view), attrs)
    return extend_schema(deprecated=True, tags=[DEPRECATED_TAG],
                         description=format_lazy(_("Deprecated path: use {path} instead."), path=f"/api/{new}/"))(alias)


def build_urlpatterns(all_routes) -> list:
    """URL patterns for every registered resource: new paths first, then the deprecated aliases."""
    router, aliases = SimpleRouter(), SimpleRouter()
    single, single_aliases = [], []
    for routes in all_routes:
        for res in routes.resources:
            new = f"{routes.app}/{res.path}"
            if issubclass(res.view, ViewSetMixin):
                router.register(new, res.view, basename=res.basename)
            else:
                single.append(path(f"{new}/", res.view.as_view(), name=res.basename))
            for old in res.old_paths:
                alias = deprecated_view(res.view, old, new)
                name = "deprecated-" + old.replace("/", "-")
                if issubclass(res.view, ViewSetMixin):
                    aliases.register(old, alias, basename=name)
                else:
                    single_aliases.append(path(f"{old}/", alias.as_view(), name=name))
    return [*single, *router.urls, *single_aliases, *aliases.urls]
