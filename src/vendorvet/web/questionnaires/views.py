"""The assessor's pages: send a questionnaire from a review, the list of open questionnaires across vendors, one
questionnaire with the vendor's answers (accept, reject, follow-up), clarification, closing, vendor files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.engine.checklist import load_checklist
from vendorvet.web.accounts import roles
from vendorvet.web.assessments.models import Assessment
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core import uploads
from vendorvet.web.core.security import audit
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Contact, Integration
from vendorvet.web.inventory.views_common import PAGE_SIZE
from vendorvet.web.questionnaires import forms, provider, services
from vendorvet.web.questionnaires.forms import ClarifyForm, DecideForm, SendForm
from vendorvet.web.questionnaires.models import (
    OPEN_STATUSES,
    ItemState,
    Questionnaire,
    QuestionnaireItem,
    Recipient,
    Status,
    VendorFile,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class SendView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def _form(self, assessment, data=None):
        language = content_language()
        checklist = load_checklist()
        points = []
        for a in assessment.answers.all():
            try:
                text = checklist.requirement(a.requirement_id).text_for(language)
            except KeyError:
                continue
            points.append((a.requirement_id, f"{a.requirement_id} — {text}"))
        contacts = [(str(c.pk), f"{c.name} <{c.email}>") for c in
                    Contact.objects.filter(vendor=assessment.integration.vendor).exclude(email="")]
        initial = {"points": services.default_requirements(assessment),
                   "contacts": [contacts[0][0]] if contacts else [],
                   "language": services.default_language(assessment.integration.vendor)}
        return SendForm(data, points=points, contacts=contacts, initial=initial)

    def _render(self, request, assessment, form, status=200):
        return render(request, "questionnaires/send.html", {"assessment": assessment, "form": form,
                                                            "integration": assessment.integration}, status=status)

    def get(self, request, pk: int):
        assessment = get_object_or_404(Assessment.objects.select_related("integration__vendor"), pk=pk)
        return self._render(request, assessment, self._form(assessment))

    def post(self, request, pk: int):
        assessment = get_object_or_404(Assessment.objects.select_related("integration__vendor"), pk=pk)
        form = self._form(assessment, request.POST)
        if not form.is_valid():
            return self._render(request, assessment, form, 400)
        data = form.cleaned_data
        language = data["language"]
        addressees = [services.Addressee(c.name, c.email, language, c) for c in
                      Contact.objects.filter(vendor=assessment.integration.vendor,
                                             pk__in=[int(x) for x in data["contacts"]]).exclude(email="")]
        if data["extra_email"]:
            addressees.append(services.Addressee(data["extra_name"], data["extra_email"], language))
        try:
            questionnaire = services.send(assessment, addressees, data["due_date"], data["points"],
                                          require_code=data["require_code"], base_url=_base_url(request))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
            return self._render(request, assessment, form, 400)
        messages.success(request, _("The questionnaire was sent to %(n)d person(s).") % {"n": len(addressees)})
        return redirect(questionnaire)


class ListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        status = request.GET.get("status", "open")
        qs = Questionnaire.objects.select_related("assessment__integration__vendor").prefetch_related("items")
        if status in Status.values:
            qs = qs.filter(status=status)
        elif status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        page = Paginator(qs.order_by("due_date", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = []
        for q in page.object_list:
            items = list(q.items.all())
            rows.append({"q": q, "total": len(items), "answered": sum(1 for i in items if i.answered_at),
                         "overdue": q.overdue()})
        return render(request, "questionnaires/list.html", {
            "rows": rows, "page_obj": page, "status": status, "statuses": Status.choices,
            "query": f"?status={status}"})


def _item_rows(questionnaire, language):
    checklist = load_checklist()
    rows = []
    for item in questionnaire.items.prefetch_related("files"):
        try:
            text = checklist.requirement(item.requirement_id).text_for(language)
        except KeyError:
            text = ""
        rows.append({"item": item, "text": text, "observed": item.observed_in(language),
                     "contradiction": provider.contradiction(item), "files": list(item.files.all()),
                     "form": DecideForm(prefix=f"d{item.pk}")})
    return rows


class DetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        q = get_object_or_404(Questionnaire.objects.select_related("assessment__integration__vendor"), pk=pk)
        return self.page(request, q)

    def page(self, request, q, *, xlsx_form=None, caiq_form=None, status=200):
        rows = _item_rows(q, content_language())
        return render(request, "questionnaires/detail.html", {
            "q": q, "rows": rows, "recipients": list(q.recipients.all()),
            "follow_ups": sum(1 for r in rows if r["item"].state == ItemState.FOLLOW_UP),
            "answered": sum(1 for r in rows if r["item"].answered_at), "clarify_form": ClarifyForm(),
            "integration": q.assessment.integration, "xlsx_form": xlsx_form or forms.xlsx_form(),
            "caiq_form": caiq_form or forms.caiq_form()}, status=status)


class DecideView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        item = get_object_or_404(QuestionnaireItem.objects.select_related("questionnaire__assessment"), pk=pk)
        form = DecideForm(request.POST, prefix=f"d{item.pk}")
        if form.is_valid():
            try:
                services.decide(item, form.cleaned_data["decision"], form.cleaned_data["note"])
                messages.success(request, _("Point %(id)s: %(state)s.") % {"id": item.requirement_id,
                                                                           "state": item.get_state_display()})
            except ValidationError as exc:
                messages.error(request, _errors(exc))
        else:
            messages.error(request, _("Choose accept, reject or follow-up."))
        return redirect(f"{item.questionnaire.get_absolute_url()}#item-{item.pk}")


class ClarifyView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        q = get_object_or_404(Questionnaire, pk=pk)
        form = ClarifyForm(request.POST)
        if form.is_valid():
            try:
                n = services.request_clarification(q, _base_url(request), form.cleaned_data["due_date"])
                messages.success(request, _("The follow-up points were sent to %(n)d person(s).") % {"n": n})
            except ValidationError as exc:
                messages.error(request, _errors(exc))
        else:
            messages.error(request, _("Enter a valid date."))
        return redirect(q)


class CloseView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        q = get_object_or_404(Questionnaire, pk=pk)
        services.close(q)
        messages.success(request, _("The questionnaire is closed; its links no longer work."))
        return redirect(q)


class RevokeView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        recipient = get_object_or_404(Recipient.objects.select_related("questionnaire"), pk=pk)
        services.revoke(recipient)
        messages.success(request, _("The link of %(name)s no longer works.") % {"name": recipient.name})
        return redirect(recipient.questionnaire)


class FileDownloadView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        item = get_object_or_404(VendorFile, pk=pk)
        response = uploads.download_response(item.file, item.original_name, item.content_type)
        audit("download.vendor_file", request=request, vendor_file_id=item.pk, file_name=item.original_name)
        return response


class IntegrationPanelView(PermissionRequiredMixin, View):
    """On the integration page: its questionnaires, and "Ask the vendor" for the open assessment."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration, pk=pk)
        return render(request, "questionnaires/_integration_panel.html", {
            "integration": integration,
            "questionnaires": list(Questionnaire.objects.filter(assessment__integration=integration)[:10]),
            "open_assessment": integration.assessments.exclude(status="decided").first()})
