"""DORA pages: the register's completeness, the forms for the DORA fields, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.engine import dora as engine
from vendorvet.engine.dora import definitions
from vendorvet.web.accounts import roles
from vendorvet.web.core.downloads import as_attachment
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.dora import forms, services
from vendorvet.web.dora.models import (
    DoraBranch,
    DoraContract,
    DoraFunction,
    DoraService,
    DoraSettings,
    DoraSubProcessor,
    DoraVendor,
)
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.inventory.services import delete_object, save_object
from vendorvet.web.inventory.views_common import apply_validation_error
from vendorvet.web.legal.models import Contract, SubProcessor


def _language() -> str:
    return (get_language() or "en")[:2]


class RegisterView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        assembly = services.assemble()
        context = {"assembly": assembly, "can_change": roles.has_perm(roles.CHANGE),
                   "can_export": roles.has_perm(roles.EXPORT)}
        if assembly is not None:
            issues, gaps = services.completeness(assembly, _language())
            tables = engine.build(assembly.register)
            context.update({
                "issues": issues, "gaps": gaps,
                "counts": [(template_id, t.title_de if _language() == "de" else t.title_en,
                            len(tables.get(template_id, [])))
                           for template_id, t in definitions.templates().items()],
                "functions": DoraFunction.objects.order_by("identifier"),
                "branches": DoraBranch.objects.order_by("code"),
                "contracts": [(c, services.contract_reference(c)) for c in assembly.contracts],
                "providers": assembly.register.providers.values(),
            })
        return render(request, "dora/register.html", context)


def _form_page(request, *, form, title: str, back: str, parent: str, status: int = 200, extra=None):
    return render(request, "dora/form.html", {"form": form, "title": title, "back": back, "parent": parent,
                                              **(extra or {})}, status=status)


def _save(request, form, *, message: str) -> bool:
    if not form.is_valid():
        return False
    obj = form.save(commit=False)
    try:
        with transaction.atomic():
            save_object(obj)
            if hasattr(form, "save_m2m"):
                form.save_m2m()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return False
    messages.success(request, message)
    return True


class SettingsView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def _page(self, request, form, status=200):
        return _form_page(request, form=form, title=_("Financial entity"), back=reverse("dora:register"),
                          parent=_("DORA register"), status=status)

    def get(self, request):
        roles.require(roles.CHANGE)
        return self._page(request, forms.SettingsForm(instance=services.settings_for_tenant()))

    def post(self, request):
        roles.require(roles.CHANGE)
        form = forms.SettingsForm(request.POST, instance=services.settings_for_tenant() or DoraSettings())
        if _save(request, form, message=_("The DORA settings were saved.")):
            return redirect("dora:register")
        return self._page(request, form, status=400)


class FunctionView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def _page(self, request, form, function, status=200):
        title = str(function) if function else _("Add function")
        return _form_page(request, form=form, title=title, back=reverse("dora:register"),
                          parent=_("DORA register"), status=status, extra={"function": function})

    def get(self, request, pk=None):
        function = get_object_or_404(DoraFunction.objects, pk=pk) if pk else None
        roles.require(roles.CHANGE if function else roles.ADD)
        return self._page(request, forms.FunctionForm(instance=function), function)

    def post(self, request, pk=None):
        function = get_object_or_404(DoraFunction.objects, pk=pk) if pk else None
        roles.require(roles.CHANGE if function else roles.ADD)
        form = forms.FunctionForm(request.POST, instance=function or DoraFunction())
        if _save(request, form, message=_("The function was saved.")):
            return redirect("dora:register")
        return self._page(request, form, function, status=400)


class FunctionDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def post(self, request, pk: int):
        delete_object(get_object_or_404(DoraFunction.objects, pk=pk))
        messages.success(request, _("The function was deleted."))
        return redirect("dora:register")


class BranchView(PermissionRequiredMixin, View):
    """A branch of the financial entity (B_01.03)."""

    required_permission = roles.VIEW

    def _page(self, request, form, branch, status=200):
        extra = {"delete_url": reverse("dora:branch_delete", args=[branch.pk]),
                 "delete_label": _("Delete branch")} if branch and roles.has_perm(roles.DELETE) else {}
        return _form_page(request, form=form, title=str(branch) if branch else _("Add branch"),
                          back=reverse("dora:register"), parent=_("DORA register"), status=status, extra=extra)

    def get(self, request, pk=None):
        branch = get_object_or_404(DoraBranch.objects, pk=pk) if pk else None
        roles.require(roles.CHANGE if branch else roles.ADD)
        return self._page(request, forms.BranchForm(instance=branch), branch)

    def post(self, request, pk=None):
        branch = get_object_or_404(DoraBranch.objects, pk=pk) if pk else None
        roles.require(roles.CHANGE if branch else roles.ADD)
        form = forms.BranchForm(request.POST, instance=branch or DoraBranch())
        if _save(request, form, message=_("The branch was saved.")):
            return redirect("dora:register")
        return self._page(request, form, branch, status=400)


class BranchDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def post(self, request, pk: int):
        delete_object(get_object_or_404(DoraBranch.objects, pk=pk))
        messages.success(request, _("The branch was deleted."))
        return redirect("dora:register")


class ProfileView(PermissionRequiredMixin, View):
    """The DORA profile (1:1) of a vendor, sub-processor, contract or integration."""

    required_permission = roles.VIEW
    model = None  # the object the profile extends (its id is in the URL)
    profile_model = None
    link = ""  # the profile's field pointing at the object
    form_class = None

    def objects(self, pk):
        obj = get_object_or_404(self.model.objects, pk=pk)
        profile = self.profile_model.objects.filter(**{self.link: obj}).first() \
            or self.profile_model(**{self.link: obj})
        return obj, profile

    def make_form(self, obj, profile, data=None):
        return self.form_class(data, instance=profile)

    def extra(self, obj) -> dict:
        return {}

    def _page(self, request, obj, form, status=200):
        return _form_page(request, form=form, title=str(obj), back=reverse("dora:register"),
                          parent=_("DORA register"), status=status, extra={"object": obj, **self.extra(obj)})

    def get(self, request, pk: int):
        obj, profile = self.objects(pk)
        roles.require(roles.CHANGE)
        return self._page(request, obj, self.make_form(obj, profile))

    def post(self, request, pk: int):
        obj, profile = self.objects(pk)
        roles.require(roles.CHANGE)
        form = self.make_form(obj, profile, request.POST)
        if _save(request, form, message=_("The DORA fields were saved.")):
            return redirect("dora:register")
        return self._page(request, obj, form, status=400)


class VendorProfileView(ProfileView):
    model, profile_model, link, form_class = Vendor, DoraVendor, "vendor", forms.ProviderForm

    def extra(self, obj) -> dict:
        return {"sub_processors": SubProcessor.objects.filter(vendor=obj).order_by("name")}


class SubProcessorProfileView(ProfileView):
    model, profile_model, link, form_class = SubProcessor, DoraSubProcessor, "sub_processor", forms.SubProcessorForm


class ContractProfileView(ProfileView):
    model, profile_model, link, form_class = Contract, DoraContract, "contract", forms.ContractForm

    def make_form(self, obj, profile, data=None):
        return forms.ContractForm(data, instance=profile, contract=obj)


class IntegrationProfileView(ProfileView):
    model, profile_model, link, form_class = Integration, DoraService, "integration", forms.ServiceForm

    def make_form(self, obj, profile, data=None):
        return forms.ServiceForm(data, instance=profile, integration=obj)


class IntegrationPanelView(PermissionRequiredMixin, View):
    """Fragment on the integration page (financial entities only): the service's contract and functions."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects, pk=pk)
        if not services.is_financial_entity():
            return HttpResponse("")
        service = DoraService.objects.filter(integration=integration).select_related("contract").first()
        return render(request, "dora/_integration_panel.html", {
            "integration": integration, "service": service, "can_change": roles.has_perm(roles.CHANGE)})


class ExportView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request, fmt: str):
        if fmt not in ("zip", "xlsx"):
            raise Http404
        assembly = services.assemble()
        if assembly is None:
            messages.error(request, _("The register is offered to financial entities only."))
            return redirect("dora:register")
        if fmt == "xlsx":
            data = engine.export_xlsx(assembly.register, _language())
            audit("export.dora", request=request, format="xlsx")
            response = HttpResponse(
                data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            as_attachment(response, "dora-register.xlsx")
            return response
        try:
            name, data = engine.export_package(assembly.register)
        except engine.RegisterInvalid as exc:
            messages.error(request, _("The report package was not written: the register has %(count)d problem(s). "
                                      "They are listed below.") % {"count": len(exc.issues)})
            return redirect("dora:register")
        audit("export.dora", request=request, format="xbrl-csv", package=name)
        response = HttpResponse(data, content_type="application/zip")
        as_attachment(response, name)
        return response
