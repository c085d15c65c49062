"""The vendor's page: no account, the personal link is the key (see :mod:`~vendorvet.web.questionnaires.links`).

Every request is throttled per client address first, then the link is checked; a refused link gets one neutral
page whatever the reason. A valid link opens exactly one questionnaire, in its tenant, acting as the recipient:
nothing else of the tenant is reachable from here. No script runs on these pages (the site-wide CSP applies).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.core.context import tenant_session
from vendorvet.web.core.security import client_ip
from vendorvet.web.questionnaires import links, services, standard
from vendorvet.web.questionnaires.forms import CodeForm, ForwardForm, xlsx_form
from vendorvet.web.questionnaires.models import ItemState, VendorAnswer

SESSION_PREFIX = "vv_questionnaire_code_"


def _private(response):
    response["Cache-Control"] = "no-store"
    # the link is the key: it never leaves the site in a Referer header ("no-referrer" would make browsers send
    # "Origin: null" with the forms, which the CSRF check rightly refuses)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def refused(request, status: int = 404, wait: int | None = None):
    response = render(request, "questionnaires/portal_refused.html", {"throttled": status == 429}, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return _private(response)


class PortalView(View):
    def dispatch(self, request, token: str):
        ip = client_ip(request)
        try:
            links.check_throttle(ip)
        except links.Throttled as exc:
            return refused(request, 429, exc.wait)
        try:
            recipient = links.find(token)
        except links.LinkRefused:
            links.count_failure(ip)
            return refused(request)
        self.recipient, self.token = recipient, token
        with tenant_session(recipient.questionnaire.tenant, services.vendor_actor(recipient)), \
                translation.override(recipient.language):
            if recipient.questionnaire.require_code and not self._code_ok(request):
                response = self.code_step(request)
            else:
                response = super().dispatch(request, token)
            response["Content-Language"] = recipient.language
        return _private(response)

    # ----------------------------------------------------------------- one-time code
    def _session_key(self) -> str:
        return f"{SESSION_PREFIX}{self.recipient.pk}"

    def _code_ok(self, request) -> bool:
        return request.session.get(self._session_key()) == self.recipient.token_hash[:16]

    def code_step(self, request):
        form, sent = CodeForm(), False
        if request.method == "POST" and request.POST.get("action") == "send_code":
            services.send_code(self.recipient)
            sent = True
        elif request.method == "POST" and request.POST.get("action") == "verify_code":
            form = CodeForm(request.POST)
            if form.is_valid() and links.code_matches(self.recipient, form.cleaned_data["code"]):
                request.session.cycle_key()
                request.session[self._session_key()] = self.recipient.token_hash[:16]
                return redirect(request.path)
            links.count_failure(client_ip(request))
            form.add_error("code", _("The code is not valid (any more). Ask for a new one."))
        return render(request, "questionnaires/portal_code.html", {"form": form, "sent": sent,
                                                                   "recipient": self.recipient},
                      status=400 if form.errors else 200)

    # ----------------------------------------------------------------- the questionnaire
    def _context(self, posted=None, problems=(), forward_form=None, sheet_form=None):
        recipient = self.recipient
        q = recipient.questionnaire
        language = recipient.language
        items = list(q.items.prefetch_related("files"))
        rows = []
        for item in items:
            value, comment = (posted or {}).get(item.pk, (item.vendor_answer, item.vendor_comment))
            rows.append({"item": item, "question": item.question_in(language), "observed": item.observed_in(language),
                         "value": value, "comment": comment, "editable": item.vendor_may_answer,
                         "files": list(item.files.all())})
        asked = [r for r in rows if r["editable"]] or rows
        done = sum(1 for r in asked if r["value"])
        return {"recipient": recipient, "q": q, "rows": rows, "options": VendorAnswer.choices,
                "editable": any(r["editable"] for r in rows), "done": done, "total": len(asked),
                "problems": problems, "forward_form": forward_form or ForwardForm(initial={"language": language}),
                "vendor": q.assessment.integration.vendor, "integration": q.assessment.integration,
                "tenant": q.tenant, "item_state": ItemState,
                "sheet_form": sheet_form or xlsx_form()}

    def get(self, request, token):
        if request.GET.get("format") == "xlsx":  # the questionnaire as a spreadsheet (same link check as the page)
            from vendorvet.web.questionnaires.views_standard import xlsx_response

            return xlsx_response(self.recipient.questionnaire, vendor=True)
        services.mark_opened(self.recipient)
        return render(request, "questionnaires/portal.html", self._context())

    def post(self, request, token):
        action = request.POST.get("action", "")
        if action == "forward":
            return self.forward(request)
        if action == "import_sheet":
            return self.import_sheet(request)
        if action not in ("save", "submit"):
            return refused(request, 400)
        q = self.recipient.questionnaire
        answers, uploads = {}, {}
        for item in q.items.all():
            if not item.vendor_may_answer:
                continue
            answers[item.pk] = (request.POST.get(f"answer-{item.pk}", "").strip(),
                                request.POST.get(f"comment-{item.pk}", "")[:5000])
            files = request.FILES.getlist(f"file-{item.pk}")
            if files:
                uploads[item.pk] = files
        try:
            problems = services.save_answers(self.recipient, answers, uploads, submit=action == "submit")
        except ValidationError as exc:
            problems = exc.messages
        if problems:
            return render(request, "questionnaires/portal.html", self._context(answers, problems), status=400)
        messages.success(request, _("Thank you — your answers were submitted.") if action == "submit"
                         else _("Your answers were saved. You can return with the same link to continue."))
        return redirect(request.path)

    def forward(self, request):
        form = ForwardForm(request.POST)
        if form.is_valid():
            try:
                colleague = services.forward(self.recipient, services.Addressee(
                    form.cleaned_data["name"], form.cleaned_data["email"], form.cleaned_data["language"]),
                    base_url=request.build_absolute_uri("/").rstrip("/"))
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("%(name)s received a personal link by e-mail.") % {"name": colleague.name})
                return redirect(request.path)
        return render(request, "questionnaires/portal.html", self._context(forward_form=form), status=400)


    def import_sheet(self, request):
        """The filled spreadsheet read back as a draft, which the vendor then checks and submits on the page."""
        form = xlsx_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = standard.import_xlsx(self.recipient.questionnaire,
                                              standard.read_upload(form.cleaned_data["sheet"]), vendor=True)
            except ValidationError as exc:
                form.add_error("sheet", " ".join(exc.messages))
            else:
                messages.success(request, _("The spreadsheet was read: %(n)d answer(s) saved as a draft. Check "
                                            "them below and submit.") % {"n": stored})
                return redirect(request.path)
        return render(request, "questionnaires/portal.html", self._context(sheet_form=form), status=400)
