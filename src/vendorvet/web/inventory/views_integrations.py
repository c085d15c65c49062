"""Integration pages: the searchable inventory list, detail, add/edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.paging import DeepPagePaginator
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory import services
from vendorvet.web.inventory.choices import DataCategory, Kind, Status, Tier
from vendorvet.web.inventory.forms import IntegrationForm
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.inventory.queries import IntegrationFilter, departments, facet_label, integration_list
from vendorvet.web.inventory.views_common import (
    PAGE_SIZE,
    apply_validation_error,
    feature_panel_urls,
    clean_query,
    is_htmx,
    vary_on_htmx,
)
from vendorvet.web.inventory.views_history import changes_for, describe_changes

FILTER_KEYS = ("q", "status", "tier", "data_category", "department", "vendor", "kind", "facet", "sort")
LIST_FIELDS = ("id", "name", "kind", "status", "tier", "department", "data_categories", "last_updated",
               "vendor__id", "vendor__name")
COLUMNS = [
    ("name", gettext_lazy("Name")),
    ("vendor", gettext_lazy("Vendor")),
    ("tier", gettext_lazy("Tier")),
    ("status", gettext_lazy("Status")),
    ("department", gettext_lazy("Department")),
    ("updated", gettext_lazy("Last updated")),
]


def _columns(current: str) -> list[dict]:
    cols = []
    for key, label in COLUMNS:
        state = "asc" if current == key else "desc" if current == f"-{key}" else ""
        cols.append({"key": key, "label": label, "state": state, "next": f"-{key}" if state == "asc" else key})
    return cols


def _decorate_rows(integrations) -> list[Integration]:
    """Attach display labels and links once per page (no per-row choice lookups or URL reversing)."""
    kinds = {k: str(v) for k, v in Kind.choices}
    statuses = {k: str(v) for k, v in Status.choices}
    tiers = {k: str(v) for k, v in Tier.choices}
    categories = {k: str(v) for k, v in DataCategory.choices}
    short = {k: _("Tier %(number)s") % {"number": k} for k in Tier.values}
    # URL shapes from this app's own urls.py: /integrations/<pk>/ and /vendors/<pk>/
    integration_base, vendor_base = reverse("inventory:integration_list"), reverse("inventory:vendor_list")
    rows = list(integrations)
    for i in rows:
        i.detail_url = f"{integration_base}{i.pk}/"
        i.vendor_url = f"{vendor_base}{i.vendor_id}/"
        i.kind_label = kinds.get(i.kind, i.kind)
        i.status_label = statuses.get(i.status, i.status)
        i.tier_label = tiers.get(i.tier, "")
        i.tier_short = short.get(i.tier, "")
        i.chips = [(c, categories.get(c, c)) for c in i.data_categories or []]
    return rows


class IntegrationListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        flt = IntegrationFilter.from_params(request.GET)
        queryset = integration_list(flt).only(*LIST_FIELDS)
        page = DeepPagePaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        query = clean_query(request.GET, FILTER_KEYS)
        context = {
            "filter": flt,
            "facet_label": facet_label(flt),
            "page_obj": page,
            "integrations": _decorate_rows(page.object_list),
            "columns": _columns(flt.sort),
            "query": query,
        }
        if is_htmx(request, "results"):
            response = render(request, "inventory/_integration_results.html", context)
            state = {**request.GET.dict(), "page": page.number if page.number > 1 else ""}
            response["HX-Push-Url"] = request.path + clean_query(state, (*FILTER_KEYS, "page"))
            return vary_on_htmx(response)
        context.update(
            statuses=Status.choices,
            tiers=Tier.choices,
            data_categories=DataCategory.choices,
            kinds=Kind.choices,
            departments=departments(),
            # plain (id, name) rows: a tenant's whole vendor list, no model instance per option
            vendor_options=[(str(pk), name) for pk, name in Vendor.objects.order_by("name").values_list("id", "name")],
            selected_vendor=str(flt.vendor or ""),
        )
        return vary_on_htmx(render(request, "inventory/integration_list.html", context))


class IntegrationDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        result = integration.tier_result()
        changes = list(changes_for(integration)[:5])
        return render(request, "inventory/integration_detail.html", {
            "integration": integration,
            "endpoints": list(integration.endpoints.all()),
            "tier_reasons": result.explain(content_language()),
            "rules_version": result.rules_version,
            "entries": describe_changes(changes, parent=integration),
            "panel_urls": feature_panel_urls("integration_panels", integration.pk),
        })


class IntegrationFormMixin(PermissionRequiredMixin):
    template_name = "inventory/integration_form.html"

    def render_form(self, request, form, integration=None, status=200):
        return render(request, self.template_name, {
            "form": form, "integration": integration, "departments": departments(),
        }, status=status)

    def save(self, request, form, integration=None):
        if not form.is_valid():
            return self.render_form(request, form, integration)
        try:
            with transaction.atomic():
                obj = form.save(commit=False)
                if form.cleaned_data.get("vendor") is None:  # a new vendor, entered by name on this form
                    vendor = Vendor(name=form.cleaned_data["new_vendor"])
                    services.save_object(vendor, creating=True)
                    obj.vendor = vendor
                else:
                    obj.vendor = form.cleaned_data["vendor"]
                services.save_object(obj, creating=integration is None)
                services.set_endpoints(obj, form.cleaned_data["endpoints"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(request, form, integration)
        if integration is None:
            messages.success(request, _("Integration “%(name)s” was added.") % {"name": obj.name})
        else:
            messages.success(request, _("Integration “%(name)s” was saved.") % {"name": obj.name})
        return redirect(obj)


class IntegrationCreateView(IntegrationFormMixin, View):
    required_permission = roles.ADD

    def get(self, request):
        initial = {}
        vendor = request.GET.get("vendor", "")
        if vendor.isdigit() and Vendor.objects.filter(pk=vendor).exists():
            initial["vendor"] = int(vendor)
        return self.render_form(request, IntegrationForm(initial=initial))

    def post(self, request):
        return self.save(request, IntegrationForm(request.POST))


class IntegrationUpdateView(IntegrationFormMixin, View):
    required_permission = roles.CHANGE

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        return self.render_form(request, IntegrationForm(instance=integration), integration)

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        return self.save(request, IntegrationForm(request.POST, instance=integration), integration)


class IntegrationDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        return render(request, "inventory/confirm_delete.html", {
            "object": integration,
            "kind": _("integration"),
            "cancel_url": integration.get_absolute_url(),
            "consequences": [_("Its %(count)d endpoint(s) are deleted with it.")
                             % {"count": integration.endpoints.count()}],
        })

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration, pk=pk)
        name = integration.name
        try:
            with transaction.atomic():
                services.set_endpoints(integration, [])  # each endpoint's removal lands in the history
                services.delete_object(integration)
        except ProtectedError as exc:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            messages.error(request, _("“%(name)s” cannot be deleted: it has records that must be kept (%(kinds)s). "
                                      "Set its status to Retired instead.") % {"name": name, "kinds": ", ".join(kinds)})
            return redirect(integration)
        messages.success(request, _("Integration “%(name)s” was deleted.") % {"name": name})
        return redirect("inventory:integration_list")
