"""API routes: ``/api/reports/audit-packs/<id>/`` (PDF, or ZIP with ``?bundle=zip``), ``/api/reports/management/``
and ``/api/reports/ropa/`` (PDF). The same documents and permission (export) as the web's download buttons."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, viewsets
from rest_framework.exceptions import APIException, ValidationError

from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.inventory.models import Integration
from vendorvet.web.legal import ropa
from vendorvet.web.reports import documents
from vendorvet.web.reports.pdf import LANGUAGES, PrintError
from vendorvet.web.reports.views import attachment

LANG = OpenApiParameter("lang", str, enum=list(LANGUAGES), description="language of the document (default: en)")


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf`` (the views answer with the file itself)."""

    media_type, format, charset = "application/pdf", "pdf", None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class Unprintable(APIException):
    status_code = 503
    default_detail = "the PDF printer of this installation is not working"


def _lang(request) -> str:
    value = request.query_params.get("lang", "en")
    if value not in LANGUAGES:
        raise ValidationError({"lang": ["de or en"]})
    return value


def _date(request, name: str) -> dt.date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["a date as YYYY-MM-DD"]}) from None


class AuditPackViewSet(TenantContextMixin, viewsets.GenericViewSet):
    """The audit pack of one integration."""

    queryset = Integration.objects.all()
    lookup_value_regex = "[0-9]+"
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]
    required_permissions = {"retrieve": "export", "list": "export"}

    @extend_schema(summary="Integrations with an audit pack (their ids and download paths)",
                   operation_id="reports_audit_packs_list",
                   responses=OpenApiTypes.OBJECT)
    def list(self, request):
        page = self.paginate_queryset(Integration.objects.select_related("vendor").order_by("name", "pk"))
        rows = [{"id": i.pk, "name": i.name, "vendor": i.vendor.name,
                 "audit_pack": request.build_absolute_uri(f"/api/reports/audit-packs/{i.pk}/")} for i in page]
        return self.get_paginated_response(rows)

    @extend_schema(summary="Audit pack of an integration (PDF or ZIP)", parameters=[
        LANG, OpenApiParameter("bundle", str, enum=["zip"], description="zip: the PDF, content.json, the evidence "
                               "files and a manifest with each file's SHA-256")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "application/zip"): OpenApiTypes.BINARY})
    def retrieve(self, request, pk=None):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        language = _lang(request)
        try:
            if request.query_params.get("bundle") == "zip":
                body, name, printed = documents.audit_pack_zip(integration, language)
                return attachment(body, name, "application/zip", printed.sha256)
            printed, _data, _rows = documents.audit_pack_pdf(integration, language)
        except PrintError as exc:
            raise Unprintable(str(exc)) from exc
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


class ManagementReportViewSet(TenantContextMixin, viewsets.ViewSet):
    """The tenant's management report."""

    renderer_classes = [renderers.JSONRenderer, PdfRenderer]
    required_permissions = {"list": "export"}

    @extend_schema(summary="Management report (PDF)", parameters=[
        LANG, OpenApiParameter("start", OpenApiTypes.DATE, description="first day (default: a month before end)"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="last day (default: today)")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def list(self, request):
        start, end = _date(request, "start"), _date(request, "end")
        if start and end and start > end:
            raise ValidationError({"start": ["start must not be after end"]})
        try:
            printed = documents.management_pdf(_lang(request), start, end)
        except PrintError as exc:
            raise Unprintable(str(exc)) from exc
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


class RopaPdfViewSet(TenantContextMixin, viewsets.ViewSet):
    """The record of processing activities (Art. 30 GDPR) as PDF."""

    renderer_classes = [renderers.JSONRenderer, PdfRenderer]
    required_permissions = {"list": "export"}

    @extend_schema(summary="Record of processing activities (PDF)", parameters=[
        LANG, OpenApiParameter("view", str, enum=list(ropa.VIEWS)),
        OpenApiParameter("include", str, enum=list(ropa.FILTERS))],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def list(self, request):
        view = request.query_params.get("view", "controller")
        include = request.query_params.get("include", "current")
        if view not in ropa.VIEWS or include not in ropa.FILTERS:
            raise ValidationError({"non_field_errors": ["view must be controller|processor, include current|all"]})
        try:
            printed = documents.ropa_pdf(view, _lang(request), include)
        except PrintError as exc:
            raise Unprintable(str(exc)) from exc
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


ROUTES = ApiRoutes("reports", (
    Resource("audit-packs", AuditPackViewSet, "reports-audit-pack"),
    Resource("management", ManagementReportViewSet, "reports-management"),
    Resource("ropa", RopaPdfViewSet, "reports-ropa"),
))
