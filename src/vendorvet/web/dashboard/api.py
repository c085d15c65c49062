"""The dashboard in the REST API: ``/api/dashboard/figures/``, ``/api/dashboard/trends/`` and
``/api/dashboard/tenants/``.

Nothing here counts anything itself: the figures come from the dashboard's own ``figures.collect()``, the trend
series from ``snapshots.trends()`` and the provider rows from ``views.provider_rows``/``views.sort_rows`` — so the
API and the web pages always show the same numbers. The permissions are the web pages': the figures and trends
need the view permission in the active tenant; the tenants list shows the tenants the user is a member of and no
other — through an API token only the token's own tenant, since a token is bound to one tenant.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext, gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from vendorvet.web.accounts.models import APIToken, memberships_of
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.core.context import current_tenant
from vendorvet.web.dashboard import figures, snapshots, views

# web list (URL name) -> the API list that filters it with the same code, and the query parameters both read.
# A figure gets an ``api_url`` only when its web link is one of these lists and uses nothing but these parameters,
# so the API list's ``count`` is the figure's value (tests/dashboard/test_api.py checks every figure).
API_LISTS = {
    "inventory:integration_list": ("api:inventory-integration-list",
                                   frozenset({"q", "status", "tier", "data_category", "department", "vendor", "kind",
                                              "facet"})),
    "monitoring:event_list": ("api:monitoring-event-list",
                              frozenset({"state", "kind", "severity", "integration", "since", "until", "q"})),
}


def api_path(web_url: str) -> str | None:
    """The API list path (with query) equivalent to a figure's web link, or None when there is none."""
    parts = urlsplit(web_url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    target = API_LISTS.get(match.view_name)
    if target is None:
        return None
    name, accepted = target
    params = parse_qsl(parts.query, keep_blank_values=True)
    if any(key not in accepted for key, _value in params):
        return None
    try:
        path = reverse(name)
    except NoReverseMatch:  # the app serving that list is not installed
        return None
    return path + ("?" + urlencode(params) if params else "")


class DashboardSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(help_text=_("In the language of the request (Accept-Language)."))


class DashboardFigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Stable key of the figure, e.g. legal.personal_no_dpa."))
    section = serializers.CharField(help_text=_("Key of the section the figure belongs to."))
    label = serializers.CharField(help_text=_("In the language of the request (Accept-Language)."))
    value = serializers.IntegerField(allow_null=True, help_text=_(
        "The count; null when it cannot be computed yet (reason says why) — never reported as 0."))
    reason = serializers.CharField(allow_blank=True, help_text=_("Why there is no value (empty when there is one)."))
    tone = serializers.ChoiceField(choices=["", "warn", "bad"], help_text=_(
        "How the dashboard marks a value above zero: warn, bad, or empty."))
    total = serializers.IntegerField(allow_null=True, help_text=_(
        "For a share: the base it is taken of (e.g. integrations with personal data)."))
    web_url = serializers.CharField(help_text=_("The list in the web interface behind the figure."))
    api_url = serializers.CharField(allow_null=True, help_text=_(
        "The API list with the same filter: its count equals value. Null when the list has no API equivalent."))


class DashboardFiguresSerializer(serializers.Serializer):
    tenant = serializers.CharField()
    sections = DashboardSectionSerializer(many=True)
    figures = DashboardFigureSerializer(many=True)


class DashboardTrendPointSerializer(serializers.Serializer):
    week = serializers.DateField(help_text=_("Monday of the week of the snapshot."))
    value = serializers.IntegerField()


class DashboardTrendSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    latest = serializers.IntegerField(allow_null=True)
    points = DashboardTrendPointSerializer(many=True)


class DashboardTrendsSerializer(serializers.Serializer):
    weeks = serializers.IntegerField(help_text=_("How many weeks back the series reach at most."))
    series = DashboardTrendSerializer(many=True)


class DashboardTenantSerializer(serializers.Serializer):
    tenant_id = serializers.IntegerField()
    tenant = serializers.CharField()
    integrations = serializers.IntegerField(allow_null=True, help_text=views.COLUMNS[1][1])
    risk = serializers.IntegerField(allow_null=True, help_text=views.COLUMNS[2][1])
    open = serializers.IntegerField(allow_null=True, help_text=views.COLUMNS[3][1])
    severe = serializers.IntegerField(allow_null=True, help_text=views.COLUMNS[4][1])
    overdue = serializers.IntegerField(allow_null=True, help_text=_(
        "Overdue reviews; null when no review has been decided yet."))
    light = serializers.ChoiceField(choices=list(views.LIGHT_ORDER), help_text=_(
        "red: action needed (critical or high findings, overdue reviews); amber: watch; green: in order."))
    light_label = serializers.CharField()


SORT_CHOICES = [*views.SORT_KEYS, *(f"-{k}" for k in views.SORT_KEYS)]


class FiguresView(TenantContextMixin, APIView):
    """Every figure of the active tenant's dashboard (the web page's own collect())."""

    @extend_schema(summary=_("Dashboard figures"), responses=DashboardFiguresSerializer, description=_(
        "Every figure of the active tenant's dashboard, the same numbers as the web page, each with the list "
        "behind it: web_url, and api_url where the API has the same filter (its count equals the value)."))
    def get(self, request):
        return Response(DashboardFiguresSerializer(figures_data(request.build_absolute_uri)).data)


def figures_data(absolute=lambda path: path) -> dict:
    """The active tenant's dashboard as plain data (the API and ``vendorvet dashboard figures`` print it):
    ``absolute`` turns the site-relative links into full URLs where a request knows the host."""
    sections = figures.collect()
    out = []
    for section in sections:
        for f in section.figures:
            api = api_path(f.url)
            out.append({"key": f.key, "section": section.key, "label": str(f.label), "value": f.count,
                        "reason": str(f.reason or ""), "tone": f.tone, "total": f.total,
                        "web_url": absolute(f.url), "api_url": absolute(api) if api else None})
    return {"tenant": current_tenant().name,
            "sections": [{"key": s.key, "label": str(s.label)} for s in sections], "figures": out}


class TrendsView(TenantContextMixin, APIView):
    """The trend series of the dashboard (weekly snapshots)."""

    @extend_schema(summary=_("Dashboard trends"), responses=DashboardTrendsSerializer, description=_(
        "The weekly snapshots behind the dashboard's trend charts, one series per key figure, oldest week first."))
    def get(self, request):
        series = [{"key": c["key"], "label": str(c["label"]), "latest": c["latest"],
                   "points": [{"week": week, "value": value} for _x, _y, value, week in c["points"]]}
                  for c in snapshots.trends()]
        return Response(DashboardTrendsSerializer({"weeks": snapshots.WEEKS, "series": series}).data)


class ProviderViewSet(TenantContextMixin, viewsets.GenericViewSet):
    """The service-provider view: key figures and traffic light of each of the user's tenants."""

    serializer_class = DashboardTenantSerializer
    filter_backends: list = []

    @extend_schema(summary=_("Tenants with key figures"), description=_(
        "Every tenant you are a member of with its key figures and traffic light, like the web's tenant overview "
        "— no other tenant. An API token is bound to its tenant, so through a token only that tenant is listed; "
        "log in to the web interface (session) to see all of your tenants."),
        parameters=[OpenApiParameter("ordering", str, enum=SORT_CHOICES, description=_(
            "Sort by a column; a leading '-' reverses it. Default: tenant."))])
    def list(self, request):
        sort = (request.query_params.get("ordering") or request.query_params.get("sort") or "tenant").strip()
        tenants = [m.tenant for m in memberships_of(request.user)]
        if isinstance(request.auth, APIToken):
            tenants = [t for t in tenants if t.pk == request.auth.tenant_id]
        try:
            rows = provider_data(tenants, sort)
        except ValueError as exc:
            raise ValidationError({"ordering": [str(exc)]}) from None
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DashboardTenantSerializer(page, many=True).data)


def provider_data(tenants: list, sort: str = "tenant") -> list[dict]:
    """The provider view's rows of these tenants (the caller has checked the memberships), sorted like the web
    view; ``ValueError`` with a message for an unknown sort key."""
    rows = views.provider_rows(tenants)
    if not views.sort_rows(rows, sort):
        raise ValueError(gettext("Unknown sort key %(key)s. Known keys: %(known)s.") % {
            "key": repr(sort[:60]), "known": ", ".join(SORT_CHOICES)})
    for row in rows:
        row["light_label"] = str(views.LIGHTS[row["light"]])
    return rows


ROUTES = ApiRoutes("dashboard", (
    Resource("figures", FiguresView, "dashboard-figures"),
    Resource("trends", TrendsView, "dashboard-trends"),
    Resource("tenants", ProviderViewSet, "dashboard-tenant"),
))
