"""Evidence files (upload, permission-checked download, removal), the certification register
of vendors, and the assessment panel on the integration page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.engine import scoring_review
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import services
from vendorvet.web.assessments.forms import CertificationForm, EvidenceForm
from vendorvet.web.assessments.models import Answer, Certification, Evidence
from vendorvet.web.assessments.models_documents import CertificationDocument
from vendorvet.web.assessments.views import AssessmentDetailView, certification_flags, score_context
from vendorvet.web.assessments.views_documents import DocumentUploadForm
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core import uploads
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory import services as inventory_services
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.inventory.views_common import apply_validation_error


class EvidenceUploadView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        answer = get_object_or_404(Answer.objects.select_related("assessment"), pk=pk)
        form = EvidenceForm(request.POST, request.FILES, prefix=f"e{answer.pk}")
        target = f"{answer.assessment.get_absolute_url()}#answer-{answer.pk}"
        if form.is_valid():
            try:
                item = services.add_evidence(answer, form.cleaned_data["file"], form.cleaned_data["description"])
            except ValidationError as exc:
                form.add_error("file", exc.messages)
        if form.errors:
            # the sheet again, with the error next to the file field of this answer (focused, so in view)
            return AssessmentDetailView.render_sheet(request, answer.assessment, evidence_form=form,
                                                     answer_pk=answer.pk, status=400)
        messages.success(request, _("Evidence “%(name)s” was uploaded.") % {"name": item.original_name})
        return redirect(target)


class EvidenceDownloadView(PermissionRequiredMixin, View):
    """The only way to an evidence file: role-checked, tenant-scoped, always a download, never sniffed."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        item = get_object_or_404(Evidence, pk=pk)
        response = uploads.download_response(item.file, item.original_name, item.content_type)
        audit("download.evidence", request=request, evidence_id=item.pk, file_name=item.original_name)
        return response


class EvidenceDeleteView(PermissionRequiredMixin, View):
    required_permission = roles.DELETE

    def post(self, request, pk: int):
        item = get_object_or_404(Evidence.objects.select_related("answer__assessment"), pk=pk)
        target = f"{item.answer.assessment.get_absolute_url()}#answer-{item.answer_id}"
        try:
            services.delete_evidence(item)
            messages.success(request, _("Evidence “%(name)s” was removed.") % {"name": item.original_name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(target)


def decorate(certs):
    labels = {scoring_review.EXPIRED: _("expired"), scoring_review.EXPIRING: _("expires soon"),
              scoring_review.VALID: _("valid"), scoring_review.UNKNOWN_STATE: _("no date")}
    rows = list(certs)
    for c in rows:
        c.state_key = c.state()
        c.state_label = labels[c.state_key]
    return rows


class CertificationRegisterView(PermissionRequiredMixin, View):
    """All register entries of the tenant, the expired and expiring first."""

    required_permission = roles.VIEW

    def get(self, request):
        from vendorvet.web.assessments.dashboard import CERT_LABELS, expiring_certifications

        expires = request.GET.get("expires", "")
        days = int(expires) if expires in ("30", "90") else None
        rows = decorate(expiring_certifications(days) if days else Certification.objects.select_related("vendor"))
        order = {scoring_review.EXPIRED: 0, scoring_review.EXPIRING: 1, scoring_review.UNKNOWN_STATE: 2,
                 scoring_review.VALID: 3}
        rows.sort(key=lambda c: (order[c.state_key], c.expires_on or c.created.date(), c.vendor.name))
        return render(request, "assessments/certifications.html", {
            "certifications": rows, "expires": expires if days else "", "filter_label": CERT_LABELS.get(days, "")})


class VendorCertificationsView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def _render(self, request, vendor, form=None, status=200):
        return render(request, "assessments/vendor_certifications.html", {
            "vendor": vendor, "certifications": decorate(Certification.objects.filter(vendor=vendor)),
            "form": form or CertificationForm(), "upload_form": DocumentUploadForm(),
            "documents": CertificationDocument.objects.filter(vendor=vendor)[:20],
        }, status=status)

    def get(self, request, pk: int):
        return self._render(request, get_object_or_404(Vendor, pk=pk))

    def post(self, request, pk: int):
        roles.require(roles.ADD)
        vendor = get_object_or_404(Vendor, pk=pk)
        form = CertificationForm(request.POST)
        if form.is_valid():
            cert = form.save(commit=False)
            cert.vendor = vendor
            try:
                inventory_services.save_object(cert, creating=True)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("“%(name)s” was added to the register.") % {"name": cert})
                return redirect("assessments:vendor_certifications", pk=vendor.pk)
        return self._render(request, vendor, form, status=400)


class CertificationEditView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def get(self, request, pk: int):
        cert = get_object_or_404(Certification.objects.select_related("vendor"), pk=pk)
        return render(request, "assessments/certification_form.html",
                      {"form": CertificationForm(instance=cert), "cert": cert})

    def post(self, request, pk: int):
        cert = get_object_or_404(Certification.objects.select_related("vendor"), pk=pk)
        if request.POST.get("delete"):
            inventory_services.delete_object(cert)  # needs the delete permission
            messages.success(request, _("“%(name)s” was removed from the register.") % {"name": cert})
            return redirect("assessments:vendor_certifications", pk=cert.vendor_id)
        form = CertificationForm(request.POST, instance=cert)
        if form.is_valid():
            try:
                inventory_services.save_object(form.save(commit=False), creating=False)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("“%(name)s” was saved.") % {"name": cert})
                return redirect("assessments:vendor_certifications", pk=cert.vendor_id)
        return render(request, "assessments/certification_form.html", {"form": form, "cert": cert}, status=400)


class IntegrationPanelView(PermissionRequiredMixin, View):
    """Fragment for the integration page: current assessment, score, decision, next review, flags."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        assessment = services.latest_assessment(integration)
        context = {"integration": integration, "assessment": assessment,
                   "flags": decorate(certification_flags(integration.vendor)), "language": content_language()}
        if assessment is not None:
            context.update(score_context(assessment))
            context["decision"] = getattr(assessment, "decision", None) if assessment.is_decided else None
            context["latest_decided"] = context["decision"]
        if assessment is not None and not assessment.is_decided:
            previous = integration.assessments.filter(status="decided").select_related("decision").first()
            context["latest_decided"] = getattr(previous, "decision", None) if previous else None
        return render(request, "assessments/_integration_panel.html", context)


class VendorPanelView(PermissionRequiredMixin, View):
    """The vendor page's panel: its certification register entries with their expiry state."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        return render(request, "assessments/_vendor_panel.html", {
            "vendor": vendor, "certifications": decorate(Certification.objects.filter(vendor=vendor)),
        })
