"""Placeholder: the import/export views are being built (see inventory/io)."""

from django.http import HttpResponse
from django.views import View

from vendorvet.web.core.views import PermissionRequiredMixin


class ImportView(PermissionRequiredMixin, View):
    required_permission = "import"

    def get(self, request):
        return HttpResponse("not yet", status=501)


class ExportView(PermissionRequiredMixin, View):
    required_permission = "export"

    def get(self, request, fmt):
        return HttpResponse("not yet", status=501)
