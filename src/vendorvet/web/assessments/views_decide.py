"""Decision-side pages: the decision (with the policy check and risk acceptance), the DPO's legal sign-off,
the approval policy, the risk acceptance register, open conditions, and the integration's risk panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.engine import scoring_review
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import policy as approval_policy
from vendorvet.web.assessments import risk, services
from vendorvet.web.assessments.forms_decide import (
    ConditionDoneForm,
    ConditionFormSet,
    DecisionForm,
    PolicyForm,
    SignOffForm,
)
from vendorvet.web.assessments.models import Condition
from vendorvet.web.assessments.models_policy import AcceptanceState, ApprovalPolicy, LegalSignOff
from vendorvet.web.assessments.views import assessment_or_404, certification_flags, score_context
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration
from vendorvet.web.inventory.views_common import apply_validation_error


def policy_context(assessment, user) -> dict:
    policy = approval_policy.current()
    result = assessment.score()
    found = approval_policy.shortfalls(assessment, "approve", user, result, policy) \
        if not assessment.is_decided else []
    return {
        "policy": policy, "shortfalls": found,
        "needs_acceptance": any(s.acceptable for s in found),
        "signoff_needed": approval_policy.dpo_signoff_needed(assessment, policy),
        "signoff": LegalSignOff.objects.filter(assessment=assessment).first(),
        "legal_ids": risk.legal_requirement_ids(assessment),
    }


class DecisionView(PermissionRequiredMixin, View):
    """GET: the decision (or, for roles that may decide, the form with what the policy asks). POST: decide."""

    required_permission = roles.VIEW

    def _render(self, request, assessment, form=None, formset=None, status=200):
        decision = getattr(assessment, "decision", None) if assessment.is_decided else None
        return render(request, "assessments/decision.html", {
            "assessment": assessment, "integration": assessment.integration, "decision": decision,
            "acceptance": getattr(decision, "risk_acceptance", None) if decision else None,
            "form": form or DecisionForm(), "formset": formset or ConditionFormSet(prefix="cond"),
            "signoff_form": SignOffForm(),
            "flags": certification_flags(assessment.integration.vendor),
            "unanswered": assessment.answers.filter(mandatory=True, value="unknown").count(),
            "next_review_preview": scoring_review.next_review_date(
                timezone.localdate(), assessment.tier, "approve"),
            **policy_context(assessment, request.user), **score_context(assessment),
        }, status=status)

    def get(self, request, pk: int):
        return self._render(request, assessment_or_404(pk))

    def post(self, request, pk: int):
        roles.require(roles.DECIDE)
        assessment = assessment_or_404(pk)
        form = DecisionForm(request.POST)
        formset = ConditionFormSet(request.POST, prefix="cond")
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, assessment, form, formset, status=400)
        data = form.cleaned_data
        conditions = [(f.cleaned_data["text"], f.cleaned_data.get("owner_user") or f.cleaned_data.get("owner", ""),
                       f.cleaned_data.get("due_date")) for f in formset.forms if f.cleaned_data.get("text")]
        acceptance = None
        if data["risk_acceptance"]:
            acceptance = risk.AcceptanceInput(
                risk_owner=data["risk_owner"], risk_owner_user=data["risk_owner_user"],
                justification=data["risk_justification"], compensating_controls=data["compensating_controls"],
                expires_on=data["expires_on"])
        try:
            services.decide(assessment, data["outcome"], data["justification"], conditions,
                            decided_on=data["decided_on"], risk_acceptance=acceptance)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_validation_error(form, exc)
            else:
                form.add_error(None, exc.messages)
            return self._render(request, assessment, form, formset, status=400)
        messages.success(request, _("The decision was recorded."))
        return redirect(reverse("assessments:decision", args=[assessment.pk]))


class LegalSignOffView(PermissionRequiredMixin, View):
    required_permission = roles.SIGN_OFF_LEGAL

    def post(self, request, pk: int):
        assessment = assessment_or_404(pk)
        form = SignOffForm(request.POST)
        form.is_valid()
        try:
            risk.sign_off_legal(assessment, form.cleaned_data.get("note", ""))
            messages.success(request, _("The legal points of this review are signed off."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("assessments:decision", args=[assessment.pk]))


class PolicyView(PermissionRequiredMixin, View):
    """Everyone reads the policy and its versions; administrators change it (a new version with a reason)."""

    required_permission = roles.VIEW

    def _render(self, request, form=None, status=200):
        current = approval_policy.current()
        initial = {**approval_policy.as_dict(current), "reason": ""}
        return render(request, "assessments/policy.html", {
            "policy": current, "form": form or PolicyForm(initial=initial),
            "versions": ApprovalPolicy.objects.order_by("-version"),
        }, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        roles.require(roles.MANAGE_POLICY)
        form = PolicyForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        values = dict(form.cleaned_data)
        reason = values.pop("reason")
        try:
            policy = approval_policy.change(reason, **values)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(request, form, status=400)
        messages.success(request, _("Version %(version)d of the approval policy is in force.")
                         % {"version": policy.version})
        return redirect("assessments:policy")


class RiskRegisterView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        state = request.GET.get("state", "")
        owner = (request.GET.get("owner") or "").strip()[:200]
        integration = None
        if (request.GET.get("integration") or "").isdigit():
            integration = get_object_or_404(Integration, pk=request.GET["integration"])
        warn = approval_policy.current().reminder_days
        rows = risk.register(state=state, integration=integration, owner=owner, warn_days=warn)
        return render(request, "assessments/risk_register.html", {
            "rows": rows, "states": AcceptanceState.choices, "state": state, "owner": owner,
            "integration": integration,
        })


class ConditionListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        show = request.GET.get("show", "open")
        qs = risk.open_conditions() if show != "all" else Condition.objects.select_related(
            "decision__assessment__integration__vendor", "owner_user").order_by("done", "due_date", "pk")
        return render(request, "assessments/conditions.html", {
            "conditions": list(qs[:500]), "show": show, "today": timezone.localdate(), "done_form": ConditionDoneForm(),
        })


class ConditionDoneView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        condition = get_object_or_404(Condition, pk=pk)
        form = ConditionDoneForm(request.POST)
        form.is_valid()
        try:
            risk.mark_condition_done(condition, form.cleaned_data.get("note", ""))
            messages.success(request, _("The condition is marked done."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("assessments:conditions")


class RiskPanelView(PermissionRequiredMixin, View):
    """The integration page's panel: risk acceptances (with the lapsed flag) and open conditions."""

    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        warn = approval_policy.current().reminder_days
        return render(request, "assessments/_risk_panel.html", {
            "integration": integration,
            "acceptances": risk.register(integration=integration, warn_days=warn),
            "lapsed": risk.lapsed_approval(integration),
            "conditions": list(risk.open_conditions().filter(decision__assessment__integration=integration)),
            "today": timezone.localdate(),
        })
