"""Standard questionnaires on the assessor's pages: import a vendor's completed CSA CAIQ v4 into a review, download
a questionnaire as a spreadsheet and read the filled spreadsheet back. A refused file is named inline next to the
field (row and column), and nothing is stored (see :mod:`~vendorvet.web.questionnaires.standard`)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.assessments.models import Assessment
from vendorvet.web.core.downloads import attachment
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.questionnaires import standard
from vendorvet.web.questionnaires.forms import caiq_form, xlsx_form
from vendorvet.web.questionnaires.models import Questionnaire

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(questionnaire, *, vendor: bool = False) -> HttpResponse:
    out = io.BytesIO()
    standard.export_xlsx(questionnaire, out, vendor=vendor)
    return attachment(out.getvalue(), f"questionnaire-{questionnaire.pk}.xlsx", XLSX)


class CaiqImportView(PermissionRequiredMixin, View):
    """"Import a completed CSA CAIQ v4": its answers become a submitted, vendor-stated questionnaire of the review.

    The form is on its own page and on each questionnaire page of the review; a refused file is shown inline on the
    page it was posted from (the questionnaire named by the form's ``origin`` field, if it belongs to this review).
    """

    required_permission = roles.CHANGE

    def _render(self, request, assessment, form, status=200):
        origin = request.POST.get("origin", "")
        if origin.isascii() and origin.isdigit():
            q = Questionnaire.objects.filter(pk=int(origin), assessment=assessment).first()
            if q is not None:
                from vendorvet.web.questionnaires.views import DetailView

                return DetailView().page(request, q, caiq_form=form, status=status)
        return render(request, "questionnaires/caiq.html", {"assessment": assessment, "form": form,
                                                            "integration": assessment.integration}, status=status)

    def get(self, request, pk: int):
        assessment = get_object_or_404(Assessment.objects.select_related("integration"), pk=pk)
        return self._render(request, assessment, caiq_form())

    def post(self, request, pk: int):
        assessment = get_object_or_404(Assessment.objects.select_related("integration"), pk=pk)
        form = caiq_form(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, assessment, form, 400)
        try:
            q = standard.import_caiq(assessment, standard.read_upload(form.cleaned_data["sheet"]))
        except standard.ValidationError as exc:
            form.add_error("sheet", " ".join(exc.messages))
            return self._render(request, assessment, form, 400)
        audit("import.caiq", request=request, questionnaire_id=q.pk)
        messages.success(request, _("The CAIQ answers arrived as vendor-stated suggestions on %(n)d point(s).")
                         % {"n": q.items.count()})
        return redirect(q)


class XlsxExportView(PermissionRequiredMixin, View):
    required_permission = roles.EXPORT

    def get(self, request, pk: int):
        q = get_object_or_404(Questionnaire, pk=pk)
        audit("download.questionnaire_xlsx", request=request, questionnaire_id=q.pk)
        return xlsx_response(q)


class XlsxImportView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        from vendorvet.web.questionnaires.views import DetailView

        q = get_object_or_404(Questionnaire, pk=pk)
        form = xlsx_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = standard.import_xlsx(q, standard.read_upload(form.cleaned_data["sheet"]))
            except standard.ValidationError as exc:
                form.add_error("sheet", " ".join(exc.messages))
            else:
                messages.success(request, _("The spreadsheet was read: %(n)d answer(s) stored.") % {"n": stored})
                return redirect(q)
        return DetailView().page(request, q, xlsx_form=form, status=400)
