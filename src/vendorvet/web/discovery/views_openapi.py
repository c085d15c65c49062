"""The "API specification" panel on the integration page: upload an OpenAPI document, see its audit."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from vendorvet.engine.openapi_audit import MAX_BYTES, OpenAPIError
from vendorvet.web.accounts import roles
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.discovery.forms import OpenApiUploadForm
from vendorvet.web.discovery.openapi import latest_audit, store_audit
from vendorvet.web.inventory.io.safety import LimitedUploadHandler
from vendorvet.web.inventory.models import Integration

MULTIPART_OVERHEAD = 64 * 1024


class OpenApiPanelView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk):
        integration = get_object_or_404(Integration, pk=pk)
        audit = latest_audit(integration)
        return render(request, "discovery/_openapi_panel.html", {
            "integration": integration, "audit": audit, "problems": audit.problems() if audit else [],
            "form": OpenApiUploadForm(), "can_change": roles.has_perm(roles.CHANGE)})


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked in post(), after the upload limit is set
class OpenApiUploadView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def _page(self, request, integration, form, error=None, status=200):
        return render(request, "discovery/openapi_upload.html", {
            "integration": integration, "form": form, "error": error, "max_bytes": MAX_BYTES}, status=status)

    def get(self, request, pk):
        return self._page(request, get_object_or_404(Integration, pk=pk), OpenApiUploadForm())

    def post(self, request, pk):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        too_large = _("The file is larger than the limit of %(limit)s; nothing was stored.") % {
            "limit": filesizeformat(MAX_BYTES)}
        if declared > MAX_BYTES + MULTIPART_OVERHEAD:
            integration = get_object_or_404(Integration, pk=pk)
            return self._page(request, integration, OpenApiUploadForm(), error=too_large, status=413)
        handler = LimitedUploadHandler(request, limit=MAX_BYTES + MULTIPART_OVERHEAD)
        request.upload_handlers = [handler]
        return csrf_protect(self._post)(request, pk, handler, too_large)

    def _post(self, request, pk, handler, too_large):
        roles.require(roles.CHANGE)
        integration = get_object_or_404(Integration, pk=pk)
        if handler.exceeded:
            return self._page(request, integration, OpenApiUploadForm(), error=too_large, status=413)
        form = OpenApiUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, integration, form, status=400)
        upload = form.cleaned_data["file"]
        name = upload.name[:255]
        try:
            path = upload.temporary_file_path()
            audit = store_audit(integration, path, name)
        except OpenAPIError as exc:
            reason = str(exc).replace(path, name)
            return self._page(request, integration, form, status=400,
                              error=_("Nothing was stored: %(reason)s") % {"reason": reason})
        finally:
            upload.close()
        messages.success(request, _("API specification audited: %(fail)d failed, %(warn)d warnings.")
                         % {"fail": audit.counts.get("fail", 0), "warn": audit.counts.get("warn", 0)})
        return redirect(integration.get_absolute_url())
