"""Download views of the documents, the integration page's panel and the report settings (logo, schedule)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.downloads import attachment as download
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration
from vendorvet.web.inventory.services import save_object
from vendorvet.web.inventory.views_common import apply_validation_error
from vendorvet.web.legal.models import TransferImpactAssessment
from vendorvet.web.reports import documents
from vendorvet.web.reports.forms import ReportSettingsForm
from vendorvet.web.reports.pdf import LANGUAGES, PrintError


def _language(request) -> str:
    value = request.GET.get("lang", "")
    return value if value in LANGUAGES else content_language()


def attachment(body: bytes, filename: str, content_type: str, sha256: str = "") -> HttpResponse:
    response = download(body, filename, content_type)
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response


def _unprintable(request, exc: PrintError) -> HttpResponse:
    return render(request, "reports/unprintable.html", {"reason": str(exc)}, status=503)


class AuditPackView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        try:
            if request.GET.get("bundle") == "zip":
                body, name, printed = documents.audit_pack_zip(integration, _language(request))
                return attachment(body, name, "application/zip", printed.sha256)
            printed, _data, _rows = documents.audit_pack_pdf(integration, _language(request))
        except PrintError as exc:
            return _unprintable(request, exc)
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class ManagementReportView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request):
        start, end = _date(request.GET.get("start", "")), _date(request.GET.get("end", ""))
        if start and end and start > end:
            start, end = end, start
        try:
            printed = documents.management_pdf(_language(request), start, end)
        except PrintError as exc:
            return _unprintable(request, exc)
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


class RopaPdfView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request):
        try:
            printed = documents.ropa_pdf(request.GET.get("view", "controller"), _language(request),
                                         request.GET.get("include", "current"))
        except PrintError as exc:
            return _unprintable(request, exc)
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


class TiaPdfView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request, pk: int):
        tia = get_object_or_404(TransferImpactAssessment.objects.select_related("integration__vendor", "assessment"),
                                pk=pk)
        try:
            printed = documents.tia_pdf(tia, _language(request))
        except PrintError as exc:
            return _unprintable(request, exc)
        return attachment(printed.pdf, printed.filename, "application/pdf", printed.sha256)


class IntegrationPanelView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects, pk=pk)
        return render(request, "reports/_integration_panel.html", {"integration": integration})


class SettingsView(PermissionRequiredMixin, View):
    """The tenant's report settings: logo and the management report's e-mail schedule (administrators)."""

    required_permission = roles.MANAGE_POLICY

    def _render(self, request, form, status=200):
        current = documents.report_settings()
        return render(request, "reports/settings.html", {"form": form, "settings": current,
                                                         "branding": documents.branding()}, status=status)

    def get(self, request):
        return self._render(request, ReportSettingsForm(instance=documents.report_settings()))

    def post(self, request):
        current = documents.report_settings()
        creating = current.pk is None
        form = ReportSettingsForm(request.POST, request.FILES, instance=current)
        if form.is_valid():
            obj = form.save(commit=False)
            if form.cleaned_data.get("upload"):
                obj.logo, obj.logo_name = form.cleaned_data["upload"]
            elif form.cleaned_data.get("remove_logo"):
                obj.logo, obj.logo_name = b"", ""
            try:
                with transaction.atomic():
                    save_object(obj, creating=creating)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The report settings were saved."))
                return redirect("reports:settings")
        return self._render(request, form, status=400)
