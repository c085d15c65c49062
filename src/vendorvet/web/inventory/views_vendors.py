"""Vendor pages: list, detail (with its integrations), add/edit with contacts, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.paging import DeepPagePaginator
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory import services
from vendorvet.web.inventory.forms import ContactFormSet, VendorForm
from vendorvet.web.inventory.models import Vendor
from vendorvet.web.inventory.views_common import PAGE_SIZE, apply_validation_error, clean_query, feature_panel_urls
from vendorvet.web.inventory.views_history import changes_for, describe_changes

VENDOR_SORTS = {
    "name": ("name", "id"), "-name": ("-name", "-id"),
    "country": ("country", "name", "id"), "-country": ("-country", "name", "id"),
    "integrations": ("n_integrations", "name", "id"), "-integrations": ("-n_integrations", "name", "id"),
}


class VendorListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        q = (request.GET.get("q") or "").strip()[:200]
        sort = request.GET.get("sort") or "name"
        sort = sort if sort in VENDOR_SORTS else "name"
        qs = Vendor.objects.annotate(n_integrations=Count("integrations")).only(
            "id", "name", "country", "website", "last_updated")
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(website__icontains=q))
        page = DeepPagePaginator(qs.order_by(*VENDOR_SORTS[sort]), PAGE_SIZE).get_page(request.GET.get("page"))
        columns = []
        for key, label in (("name", _("Legal name")), ("country", _("Country")),
                           ("integrations", _("Integrations"))):
            state = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
            columns.append({"key": key, "label": label, "state": state,
                            "next": f"-{key}" if state == "asc" else key})
        return render(request, "inventory/vendor_list.html", {
            "page_obj": page, "vendors": page.object_list, "q": q, "sort": sort, "columns": columns,
            "query": clean_query(request.GET, ("q", "sort")),
        })


class VendorDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        integrations = vendor.integrations.only(
            "id", "name", "kind", "status", "tier", "department", "data_categories", "vendor_id"
        ).order_by("name")
        return render(request, "inventory/vendor_detail.html", {
            "vendor": vendor,
            "contacts": list(vendor.contacts.all()),
            "integrations": list(integrations),
            "entries": describe_changes(list(changes_for(vendor)[:5]), parent=vendor),
            "panel_urls": feature_panel_urls("vendor_panels", vendor.pk),
        })


class VendorFormMixin(PermissionRequiredMixin):
    def render_form(self, request, form, formset, vendor=None):
        return render(request, "inventory/vendor_form.html", {"form": form, "formset": formset, "vendor": vendor})

    def save(self, request, form, formset, vendor=None):
        if not (form.is_valid() and formset.is_valid()):
            return self.render_form(request, form, formset, vendor)
        try:
            with transaction.atomic():
                obj = form.save(commit=False)
                services.save_object(obj, creating=vendor is None)
                formset.instance = obj
                contacts = formset.save(commit=False)
                for contact in formset.deleted_objects:
                    roles.require(roles.CHANGE)  # removing a contact edits the vendor
                    contact.delete()
                for contact in contacts:
                    contact.vendor = obj
                    services.save_object(contact)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(request, form, formset, vendor)
        if vendor is None:
            messages.success(request, _("Vendor “%(name)s” was added.") % {"name": obj.name})
        else:
            messages.success(request, _("Vendor “%(name)s” was saved.") % {"name": obj.name})
        return redirect(obj)


class VendorCreateView(VendorFormMixin, View):
    required_permission = roles.ADD

    def get(self, request):
        return self.render_form(request, VendorForm(), ContactFormSet(instance=Vendor(), prefix="contacts"))

    def post(self, request):
        form = VendorForm(request.POST)
        formset = ContactFormSet(request.POST, instance=Vendor(), prefix="contacts")
        return self.save(request, form, formset)


class VendorUpdateView(VendorFormMixin, View):
    required_permission = roles.CHANGE

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        return self.render_form(request, VendorForm(instance=vendor),
                                ContactFormSet(instance=vendor, prefix="contacts"), vendor)

    def post(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        form = VendorForm(request.POST, instance=vendor)
        formset = ContactFormSet(request.POST, instance=vendor, prefix="contacts")
        return self.save(request, form, formset, vendor)


class VendorDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        count = vendor.integrations.count()
        return render(request, "inventory/confirm_delete.html", {
            "object": vendor,
            "kind": _("vendor"),
            "cancel_url": vendor.get_absolute_url(),
            "blocked": (_("This vendor still has %(count)d integration(s). Delete or move them first.")
                        % {"count": count}) if count else "",
            "consequences": [_("Its contacts are deleted with it.")],
        })

    def post(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        name = vendor.name
        try:
            with transaction.atomic():
                for contact in vendor.contacts.all():
                    services.delete_object(contact)
                services.delete_object(vendor)
        except ProtectedError as exc:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            messages.error(request, _("“%(name)s” cannot be deleted: it still has %(kinds)s.")
                           % {"name": name, "kinds": ", ".join(kinds)})
            return redirect(vendor)
        messages.success(request, _("Vendor “%(name)s” was deleted.") % {"name": name})
        return redirect("inventory:vendor_list")
