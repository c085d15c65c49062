"""Upload a certificate or report on a vendor's register page, see what was read, confirm or correct it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files import File
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.assessments import documents
from vendorvet.web.assessments.models import Evidence
from vendorvet.web.assessments.models_documents import CertificationDocument, DocumentState
from vendorvet.web.core import uploads
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Vendor


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Certificate or report (PDF or DOCX)"))


def _value_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def suggestion_rows(doc: CertificationDocument) -> list[dict]:
    """One row per field the register can take over, with what was read (value, page, text) or nothing."""
    labels = documents.field_labels()
    read = doc.reading.get("fields", {})
    done = doc.confirmed.get("fields", {})
    rows = []
    for name in documents.FIELD_MAP.get(doc.kind, {}):
        entry = read.get(name)
        rows.append({"name": name, "label": labels.get(name, name), "read": entry is not None,
                     "value": _value_text(entry["value"]) if entry else "", "page": entry and entry.get("page"),
                     "text": entry.get("text", "") if entry else "", "confirmed": done.get(name)})
    return rows


def info_rows(doc: CertificationDocument) -> list[dict]:
    """Fields read that are shown for review but not copied into the register (opinion, criteria …)."""
    labels = documents.field_labels()
    mapped = documents.FIELD_MAP.get(doc.kind, {})
    return [{"label": labels.get(name, name), "value": _value_text(entry.get("value")), "page": entry.get("page"),
             "text": entry.get("text", "")}
            for name, entry in documents.ordered(doc.reading.get("fields", {}))
            if name not in mapped and name != "subservice_organizations"]


def document_context(doc: CertificationDocument) -> dict:
    return {"doc": doc, "vendor": doc.vendor, "rows": suggestion_rows(doc), "info": info_rows(doc),
            "kind_label": documents.kind_label(doc.kind), "warnings": documents.warnings(doc.reading),
            "subservice": _list(doc.reading.get("fields", {}).get("subservice_organizations")),
            "cuecs": doc.reading.get("cuecs", []), "confirmed": doc.state == DocumentState.CONFIRMED}


def _list(entry) -> list[str]:
    value = (entry or {}).get("value") or []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class DocumentUploadView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        form = DocumentUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("assessments:vendor_certifications", pk=vendor.pk)
        try:
            doc = documents.read_upload(vendor, form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessments:vendor_certifications", pk=vendor.pk)
        return redirect(doc.get_absolute_url())


class EvidenceReadView(PermissionRequiredMixin, View):
    """Read an evidence file already on an answer (point 1) into suggestions for the vendor's register."""

    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        item = get_object_or_404(Evidence.objects.select_related("answer__assessment__integration"), pk=pk)
        answer = item.answer
        target = f"{answer.assessment.get_absolute_url()}#answer-{answer.pk}"
        try:
            with item.file.open("rb") as handle:
                doc = documents.read_upload(answer.assessment.integration.vendor,
                                            File(handle, name=item.original_name))
        except FileNotFoundError:
            messages.error(request, _("The file is missing from storage."))
            return redirect(target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(target)
        return redirect(doc.get_absolute_url())


class DocumentView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        doc = get_object_or_404(CertificationDocument.objects.select_related("vendor", "certification"), pk=pk)
        return render(request, "assessments/certificate_document.html", document_context(doc))

    def post(self, request, pk: int):
        roles.require(roles.CHANGE)
        doc = get_object_or_404(CertificationDocument.objects.select_related("vendor", "certification"), pk=pk)
        take_all = bool(request.POST.get("take_all"))
        taken = {}
        for row in suggestion_rows(doc):
            if take_all and row["read"] or request.POST.get(f"take_{row['name']}"):
                taken[row["name"]] = request.POST.get(f"value_{row['name']}", row["value"])
        if take_all:  # also the fields the reviewer filled in where the document had none
            taken.update({r["name"]: request.POST[f"value_{r['name']}"] for r in suggestion_rows(doc)
                          if not r["read"] and request.POST.get(f"value_{r['name']}", "").strip()})
        try:
            cert = documents.confirm(doc, taken, request.user, subservice=request.POST.getlist("subservice"),
                                     cuecs=request.POST.getlist("cuec"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "assessments/certificate_document.html", document_context(doc), status=400)
        messages.success(request, _("The confirmed fields were taken over into “%(name)s”.") % {"name": cert})
        return redirect("assessments:vendor_certifications", pk=doc.vendor_id)


class DocumentFileView(PermissionRequiredMixin, View):
    """The stored file: role-checked, tenant-scoped, always a download, never sniffed (as evidence files)."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        doc = get_object_or_404(CertificationDocument, pk=pk)
        response = uploads.download_response(doc.file, doc.original_name, doc.content_type)
        audit("download.certificate_document", request=request, document_id=doc.pk, file_name=doc.original_name)
        return response
