"""Legal pages: the overview, the integration panel, an integration's and a vendor's legal page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.engine import transfer
from vendorvet.web.accounts import roles
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.inventory.views_common import apply_validation_error
from vendorvet.web.legal import services
from vendorvet.web.legal.forms import DpaItemForm, IntegrationLegalForm, SubProcessorForm, VendorLegalForm
from vendorvet.web.legal.models import Contract, IntegrationLegal, SubProcessor, TransferAssessment


def assessment_view(assessment: TransferAssessment | None) -> dict | None:
    """An assessment's display data in the current language."""
    if assessment is None:
        return None
    language = content_language()
    onward = assessment.result.get("onward_transfers", [])
    return {
        "object": assessment,
        "basis": assessment.basis,
        "reasoning": assessment.reasoning(language),
        "onward": onward,
        "jurisdiction": _jurisdiction_text(assessment, language),
    }


def _jurisdiction_text(assessment: TransferAssessment, language: str) -> str | None:
    if not assessment.result.get("jurisdiction_warning"):
        return None
    if language == "de":
        return next((s for s in assessment.reasoning_de if s.startswith("Jurisdiktionsrisiko")),
                    assessment.result["jurisdiction_warning"])
    return assessment.result["jurisdiction_warning"]


class OverviewView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        integrations = list(Integration.objects.select_related("vendor").exclude(status="retired")
                            .order_by("name", "pk"))
        latest: dict[int, TransferAssessment] = {}
        for a in TransferAssessment.objects.order_by("integration_id", "-created", "-pk"):
            latest.setdefault(a.integration_id, a)
        legal = {lg.integration_id: lg for lg in IntegrationLegal.objects.all()}
        subs: dict[int, list[SubProcessor]] = {}
        for sp in SubProcessor.objects.all():
            subs.setdefault(sp.vendor_id, []).append(sp)
        dpa_cache: dict[int, dict] = {}
        rows = []
        for i in integrations:
            if i.vendor_id not in dpa_cache:
                dpa_cache[i.vendor_id] = services.dpa_status(i.vendor)
            loc = services.location(i, legal.get(i.pk) or IntegrationLegal(integration=i), subs.get(i.vendor_id, []))
            rows.append({"integration": i, "assessment": latest.get(i.pk), "location": loc,
                         "dpa": dpa_cache[i.vendor_id]})
        return render(request, "legal/overview.html", {"rows": rows, "reminders": services.due_reminders()})


class IntegrationPanelView(PermissionRequiredMixin, View):
    """Fragment on the integration page: transfer verdict, data location, DPA status."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        return render(request, "legal/_integration_panel.html", {
            "integration": integration,
            "assessment": assessment_view(services.latest_assessment(integration)),
            "location": services.location(integration),
            "dpa": services.dpa_status(integration.vendor),
            "vendor_legal": services.vendor_legal(integration.vendor),
        })


class IntegrationLegalView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def context(self, integration, form=None):
        legal = services.integration_legal(integration)
        assessments = list(TransferAssessment.objects.filter(integration=integration)[:10])
        return {
            "integration": integration,
            "legal": legal,
            "form": form or IntegrationLegalForm(instance=legal),
            "location": services.location(integration, legal),
            "assessment": assessment_view(assessments[0] if assessments else None),
            "history": assessments,
            "tias": list(integration.tias.all()),
            "vendor_legal": services.vendor_legal(integration.vendor),
            "dpa": services.dpa_status(integration.vendor),
        }

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        return render(request, "legal/integration.html", self.context(integration))

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        legal = services.integration_legal(integration)
        form = IntegrationLegalForm(request.POST, instance=legal)
        if not form.is_valid():
            return render(request, "legal/integration.html", self.context(integration, form), status=400)
        try:
            with transaction.atomic():
                services.save_object(form.save(commit=False), creating=legal.pk is None)
                if services.latest_assessment(integration) is not None and roles.has_perm(roles.ADD):
                    # keep the stored verdict in step with the facts it was computed from
                    services.run_assessment(integration, TransferAssessment.Trigger.PROFILE)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return render(request, "legal/integration.html", self.context(integration, form), status=400)
        messages.success(request, _("The legal profile was saved."))
        return redirect("legal:integration", pk=integration.pk)


class RunAssessmentView(PermissionRequiredMixin, View):
    required_permission = roles.ADD

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        try:
            services.run_assessment(integration)
        except transfer.TransferInputError:
            messages.error(request, _("Record the vendor's country of establishment first."))
        else:
            messages.success(request, _("The transfer check was run and stored."))
        return redirect("legal:integration", pk=integration.pk)


class VendorLegalView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def context(self, vendor, form=None, sub_form=None):
        vlegal = services.vendor_legal(vendor)
        return {
            "vendor": vendor,
            "vendor_legal": vlegal,
            "form": form or VendorLegalForm(instance=vlegal),
            "sub_form": sub_form or SubProcessorForm(),
            "sub_processors": list(SubProcessor.objects.filter(vendor=vendor)),
            "contracts": list(Contract.objects.filter(vendor=vendor).order_by("type", "title")),
            "dpa_rows": services.dpa_rows(vendor),
            "dpa": services.dpa_status(vendor),
            "dpa_states": DpaItemForm.base_fields["state"].choices,
            "integrations": list(vendor.integrations.order_by("name")),
        }

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor.objects, pk=pk)
        return render(request, "legal/vendor.html", self.context(vendor))

    def post(self, request, pk: int):
        """Save the vendor's legal profile (parent company, DPF)."""
        vendor = get_object_or_404(Vendor.objects, pk=pk)
        vlegal = services.vendor_legal(vendor)
        roles.require(roles.ADD if vlegal.pk is None else roles.CHANGE)
        form = VendorLegalForm(request.POST, instance=vlegal)
        if form.is_valid():
            try:
                services.save_object(form.save(commit=False), creating=vlegal.pk is None)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The vendor's legal profile was saved."))
                return redirect("legal:vendor", pk=vendor.pk)
        return render(request, "legal/vendor.html", self.context(vendor, form=form), status=400)


class SubProcessorAddView(PermissionRequiredMixin, View):
    required_permission = roles.ADD

    def post(self, request, pk: int):
        vendor = get_object_or_404(Vendor.objects, pk=pk)
        form = SubProcessorForm(request.POST, instance=SubProcessor(vendor=vendor, tenant=vendor.tenant))
        if form.is_valid():
            try:
                _sub, assessments = services.save_sub_processor(form.save(commit=False))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Sub-processor added; %(count)d transfer check(s) re-run.")
                                 % {"count": len(assessments)})
                return redirect("legal:vendor", pk=vendor.pk)
        return render(request, "legal/vendor.html", VendorLegalView().context(vendor, sub_form=form), status=400)


class SubProcessorDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def post(self, request, pk: int):
        sub = get_object_or_404(SubProcessor.objects.select_related("vendor"), pk=pk)
        vendor_pk = sub.vendor_id
        services.delete_object(sub)
        messages.success(request, _("Sub-processor removed."))
        return redirect("legal:vendor", pk=vendor_pk)


class DpaItemView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        vendor = get_object_or_404(Vendor.objects, pk=pk)
        form = DpaItemForm(request.POST)
        if form.is_valid():
            try:
                services.set_dpa_item(vendor, form.cleaned_data["key"], form.cleaned_data["state"],
                                      form.cleaned_data["clause"], form.cleaned_data["note"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Checklist item saved."))
        else:
            messages.error(request, _("The checklist item could not be saved."))
        return redirect(reverse("legal:vendor", args=[vendor.pk]) + "#dpa")
