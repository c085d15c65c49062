"""The watch panel on the vendor page: watched addresses, their last check and the latest change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core import queue
from vendorvet.web.core.context import require_tenant
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Vendor
from vendorvet.web.watch import scheduling, services
from vendorvet.web.watch.forms import WatchForm
from vendorvet.web.watch.models import WatchedPage


def _back(vendor) -> str:
    return reverse("inventory:vendor_detail", args=[vendor.pk]) + "#vendor-watch"


class VendorPanelView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        return render(request, "watch/_vendor_panel.html", {
            "vendor": vendor, "pages": WatchedPage.objects.filter(vendor=vendor).order_by("kind", "url"),
            "form": WatchForm(),
        })


class AddView(PermissionRequiredMixin, View):
    required_permission = roles.ADD

    def post(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        form = WatchForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(_back(vendor))
        try:
            services.add_page(vendor, form.cleaned_data["url"], form.cleaned_data["kind"])
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("The page is watched; it is checked on the next monitoring pass."))
        return redirect(_back(vendor))


class RemoveView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def post(self, request, pk: int):
        page = get_object_or_404(WatchedPage.objects.select_related("vendor"), pk=pk)
        vendor = page.vendor
        services.remove_page(page)
        messages.success(request, _("The page is no longer watched."))
        return redirect(_back(vendor))


class CheckView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        page = get_object_or_404(WatchedPage.objects.select_related("vendor"), pk=pk)
        queue.enqueue(scheduling.check_pages, require_tenant().pk, [page.pk])
        messages.success(request, _("The check is queued."))
        return redirect(_back(page.vendor))
