"""Contracts (with safe file upload), transfer impact assessments and the record of processing."""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.core import uploads
from vendorvet.web.core.downloads import as_attachment
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.inventory.views_common import apply_validation_error
from vendorvet.web.legal import docx, ropa, ropa_export, services
from vendorvet.web.legal.forms import ContractForm, RopaSettingsForm, TIAForm
from vendorvet.web.legal.models import Contract, RopaSettings, TransferImpactAssessment
from vendorvet.web.legal.views import assessment_view


# ----------------------------------------------------------------------------- contracts
class ContractFormView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def _objects(self, vendor_pk=None, pk=None):
        if pk is not None:
            contract = get_object_or_404(Contract.objects.select_related("vendor"), pk=pk)
            return contract.vendor, contract
        return get_object_or_404(Vendor.objects, pk=vendor_pk), None

    def get(self, request, vendor_pk=None, pk=None):
        vendor, contract = self._objects(vendor_pk, pk)
        roles.require(roles.ADD if contract is None else roles.CHANGE)
        return render(request, "legal/contract_form.html",
                      {"vendor": vendor, "contract": contract, "form": ContractForm(instance=contract)})

    def post(self, request, vendor_pk=None, pk=None):
        vendor, contract = self._objects(vendor_pk, pk)
        roles.require(roles.ADD if contract is None else roles.CHANGE)
        instance = contract or Contract(vendor=vendor, tenant=vendor.tenant)
        form = ContractForm(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            obj = form.save(commit=False)
            upload = form.cleaned_data.get("upload")
            old_file = obj.file.name if contract is not None and upload else None
            try:
                with transaction.atomic():
                    if upload:
                        obj.file_name = upload.display_name[:200]
                        obj.file.save(upload.name, upload, save=False)
                    services.save_object(obj, creating=contract is None)
            except ValidationError as exc:
                if upload and obj.file:
                    obj.file.storage.delete(obj.file.name)
                apply_validation_error(form, exc)
            else:
                if old_file:
                    obj.file.storage.delete(old_file)
                messages.success(request, _("Contract “%(title)s” was saved.") % {"title": obj.title})
                return redirect("legal:vendor", pk=vendor.pk)
        return render(request, "legal/contract_form.html",
                      {"vendor": vendor, "contract": contract, "form": form}, status=400)


class ContractDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def post(self, request, pk: int):
        contract = get_object_or_404(Contract.objects, pk=pk)
        vendor_pk, name = contract.vendor_id, contract.file.name
        storage = contract.file.storage
        services.delete_object(contract)
        if name:
            storage.delete(name)
        messages.success(request, _("Contract deleted."))
        return redirect("legal:vendor", pk=vendor_pk)


class ContractFileView(PermissionRequiredMixin, View):
    """Serve a stored contract file to members of its tenant, always as a download."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        contract = get_object_or_404(Contract.objects, pk=pk)
        if not contract.file:
            raise Http404
        response = uploads.download_response(contract.file, contract.file_name or PurePath(contract.file.name).name)
        audit("download.contract", request=request, contract_id=contract.pk, file_name=contract.file_name)
        return response


# ----------------------------------------------------------------------------- TIA
class TIACreateView(PermissionRequiredMixin, View):
    required_permission = roles.ADD

    def post(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        assessment = services.latest_assessment(integration)
        tia = TransferImpactAssessment(integration=integration, tenant=integration.tenant, assessment=assessment,
                                       title=_("TIA: %(name)s") % {"name": integration.name})
        if assessment is not None:
            tia.step1_transfers = "\n".join(assessment.reasoning(content_language()))
            if assessment.basis == "scc" and assessment.scc_module:
                tia.step2_tool = _("Standard contractual clauses, Decision (EU) 2021/914, module %(module)s.") % {
                    "module": assessment.scc_module}
        tia.step6_reevaluation = timezone.localdate() + datetime.timedelta(days=365)
        services.save_object(tia, creating=True)
        return redirect("legal:tia", pk=tia.pk)


class TIAView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def render_page(self, request, tia, form, status=200):
        return render(request, "legal/tia.html", {"tia": tia, "form": form, "integration": tia.integration,
                                                  "assessment": assessment_view(tia.assessment)}, status=status)

    def get(self, request, pk: int):
        tia = get_object_or_404(TransferImpactAssessment.objects.select_related("integration__vendor"), pk=pk)
        return self.render_page(request, tia, TIAForm(instance=tia))

    def post(self, request, pk: int):
        roles.require(roles.CHANGE)
        tia = get_object_or_404(TransferImpactAssessment.objects.select_related("integration__vendor"), pk=pk)
        form = TIAForm(request.POST, instance=tia)
        if form.is_valid():
            try:
                services.save_object(form.save(commit=False), creating=False)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The transfer impact assessment was saved."))
                return redirect("legal:tia", pk=tia.pk)
        return self.render_page(request, tia, form, status=400)


def tia_sections(tia: TransferImpactAssessment) -> list[dict]:
    """The six EDPB steps and the conclusion, labelled in the active language."""
    fields = ["step1_transfers", "step2_tool", "step3_assessment", "step4_measures", "step5_procedural"]
    sections = [{"label": str(TransferImpactAssessment._meta.get_field(f).verbose_name),
                 "help": str(TransferImpactAssessment._meta.get_field(f).help_text),
                 "text": getattr(tia, f)} for f in fields]
    sections.append({"label": str(TransferImpactAssessment._meta.get_field("step6_reevaluation").verbose_name),
                     "help": "", "text": tia.step6_reevaluation.isoformat() if tia.step6_reevaluation else "—"})
    sections.append({"label": _("Conclusion"), "help": "", "text": tia.conclusion})
    return sections


class TIAExportView(PermissionRequiredMixin, View):
    """The TIA as a printable HTML page or a DOCX document, in German or English (?lang=)."""

    required_permission = roles.EXPORT

    def get(self, request, pk: int, fmt: str):
        tia = get_object_or_404(TransferImpactAssessment.objects.select_related("integration__vendor"), pk=pk)
        language = request.GET.get("lang") if request.GET.get("lang") in ("de", "en") else content_language()
        with translation.override(language):
            sections = tia_sections(tia)
            reasoning = tia.assessment.reasoning(language) if tia.assessment else []
            meta = [
                (_("Integration"), tia.integration.name),
                (_("Vendor"), tia.integration.vendor.name),
                (_("State"), str(tia.get_state_display())),
                (_("Last updated"), timezone.localtime(tia.last_updated).strftime("%Y-%m-%d %H:%M")),
                (_("Method"), _("EDPB Recommendations 01/2020 on supplementary measures, version 2.0")),
            ]
            if fmt == "docx":
                paragraphs = [docx.Paragraph(tia.title, "title")]
                paragraphs += [docx.Paragraph(f"{label}: {value}") for label, value in meta]
                if reasoning:
                    paragraphs.append(docx.Paragraph(_("Transfer check (stored reasoning)"), "heading"))
                    paragraphs += [docx.Paragraph(f"{n}. {step}") for n, step in enumerate(reasoning, 1)]
                for s in sections:
                    paragraphs.append(docx.Paragraph(s["label"], "heading"))
                    paragraphs.append(docx.Paragraph(s["text"] or "—"))
                response = HttpResponse(docx.build(paragraphs, language), content_type=(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
                as_attachment(response, f"tia-{slugify(tia.integration.name)}.docx")
                audit("export.tia", request=request, tia_id=tia.pk, format="docx")
                return response
            return render(request, "legal/tia_print.html", {"tia": tia, "sections": sections, "meta": meta,
                                                            "reasoning": reasoning, "language": language})


# ----------------------------------------------------------------------------- record of processing
def _ropa_params(request) -> tuple[str, str, str]:
    view = request.GET.get("view") if request.GET.get("view") in ropa.VIEWS else "controller"
    language = request.GET.get("lang") if request.GET.get("lang") in ("de", "en") else content_language()
    include = request.GET.get("include") if request.GET.get("include") in ropa.FILTERS else "current"
    return view, language, include


class RopaView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        view, language, include = _ropa_params(request)
        data = ropa.build(view, language, include)
        settings = RopaSettings.objects.first()
        keys = [c["key"] for c in data["columns"]]
        table = [[{"value": v, "gap": k in gaps} for k, v in zip(keys, r)] for r, gaps in zip(data["rows"], data["gaps"])]
        with translation.override(language):
            return render(request, "legal/ropa.html", {
                "data": data, "table": table, "view": view, "language": language, "include": include,
                "settings": settings,
                "settings_form": RopaSettingsForm(instance=settings), "generated": timezone.localtime(),
            })

    def post(self, request):
        """Save the record's header (controller, representative, DPO)."""
        settings = RopaSettings.objects.first()
        roles.require(roles.ADD if settings is None else roles.CHANGE)
        form = RopaSettingsForm(request.POST, instance=settings)
        if form.is_valid():
            try:
                services.save_object(form.save(commit=False), creating=settings is None)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
        return redirect("legal:ropa")


class RopaExportView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request, fmt: str):
        view, language, include = _ropa_params(request)
        data = ropa.build(view, language, include)
        stem = f"ropa-{view}-{language}-{timezone.localdate().isoformat()}"
        if fmt == "xlsx":
            import io

            buf = io.BytesIO()
            ropa_export.write_xlsx(data, buf)
            response = HttpResponse(buf.getvalue(), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        elif fmt == "docx":
            response = HttpResponse(ropa_export.docx_bytes(data), content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        else:
            response = StreamingHttpResponse(ropa_export.iter_csv(data), content_type="text/csv; charset=utf-8")
        as_attachment(response, f"{stem}.{fmt}")
        audit("export.ropa", request=request, format=fmt, view=view)
        return response
