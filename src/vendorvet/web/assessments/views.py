"""Assessment pages: list, start, the answer sheet (HTMX per requirement), overrides, decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views import View

from vendorvet.engine import scoring_review
from vendorvet.engine.checklist import load_checklist
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import services
from vendorvet.web.assessments.forms import (
    AnswerForm,
    AssessmentForm,
    ChooseIntegrationForm,
    EvidenceForm,
    ScoreOverrideForm,
    StartForm,
    TierOverrideForm,
)
from vendorvet.web.assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Certification,
    Evidence,
    ScoreOverride,
)
from vendorvet.web.core import review
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.texts import mapping_label
from vendorvet.web.core.registry import registry
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.models import Integration
from vendorvet.web.inventory.views_common import PAGE_SIZE, apply_validation_error, is_htmx, vary_on_htmx


def describe_requirement(requirement, language: str) -> dict:
    checklist = load_checklist()
    return {
        "id": requirement.id,
        "text": requirement.text_for(language),
        "guidance": requirement.guidance_for(language),
        "point": requirement.point,
        "point_title": checklist.point(requirement.point).title_for(language),
        "evidence_types": [checklist.evidence_types[e][language] for e in requirement.evidence_types],
        "mappings": [mapping_label(m) for m in requirement.mappings],
        "check_ids": list(requirement.check_ids),
    }


def score_context(assessment: Assessment, result=None, suggestions=None) -> dict:
    result = result or assessment.score(with_coverage=True, suggestions=suggestions)
    language = content_language()
    overrides = {o.key: o for o in assessment.score_overrides.all()}
    lines = [{"key": line.key, "text": line.text(language), "points": scoring_review.fmt(line.points),
              "original": scoring_review.fmt(line.original), "override": overrides.get(line.key)}
             for line in result.lines]
    return {"result": result, "score_lines": lines, "points_lost": scoring_review.fmt(result.points_lost),
            "coverage": result.coverage}


def certification_flags(vendor) -> list[Certification]:
    """The vendor's register entries that are expired or expire within the warning window."""
    return [c for c in Certification.objects.filter(vendor=vendor) if c.state() in (scoring_review.EXPIRED,
                                                                                    scoring_review.EXPIRING)]


STATE_LABELS = {review.CHECKED: _lazy("checked"), review.COULD_NOT_CHECK: _lazy("could not check"),
                review.NOT_APPLICABLE: _lazy("not applicable")}


def automated_evidence(integration, requirements) -> dict[str, list]:
    """Per requirement id: every registered review-evidence provider's suggestion (``core.review``)."""
    return review.collect(integration, [r.id for r in requirements if r is not None])


def _answer_label(value: str | None):
    return dict(Answer._meta.get_field("value").choices).get(value) if value else None


def _shown(suggestion) -> dict:
    provider = registry.evidence_providers.get(suggestion.provider)
    return {"s": suggestion, "label": getattr(provider, "label", ""), "state_label": STATE_LABELS[suggestion.state],
            "suggested_label": _answer_label(suggestion.suggested)}


def _seen(entries: list) -> list[dict]:
    """The suggestions stored on an answer, ready to show next to the current ones."""
    out = []
    for e in entries or []:
        provider = registry.evidence_providers.get(e.get("provider", ""))
        out.append({**e, "label": getattr(provider, "label", ""),
                    "state_label": STATE_LABELS.get(e.get("state"), ""),
                    "suggested_label": _answer_label(e.get("suggested"))})
    return out


def answer_context(answer: Answer, language: str, form=None, evidence_form=None, auto=None) -> dict:
    requirement = answer.requirement
    if auto is None:
        auto = automated_evidence(answer.assessment.integration, [requirement]).get(answer.requirement_id, [])
    suggested = review.combined_answer(auto)
    comment = next((str(s.comment) for s in auto if s.checked and s.suggested == suggested and s.comment), "")
    return {
        "suggestions": [_shown(s) for s in auto],
        "suggested": suggested,
        "suggested_label": _answer_label(suggested),
        "suggested_comment": comment,
        "evidence_changed": answer.evidence_changed(auto),
        "evidence_seen": _seen(answer.evidence_seen),
        "answer": answer,
        "req": describe_requirement(requirement, language) if requirement else {"id": answer.requirement_id},
        "form": form or AnswerForm(initial={"value": answer.value, "comment": answer.comment},
                                   prefix=f"a{answer.pk}"),
        "evidence_form": evidence_form or EvidenceForm(prefix=f"e{answer.pk}"),
        "evidence": list(answer.evidence.all()),
    }


def assessment_or_404(pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("integration__vendor", "assignee"), pk=pk)


class AssessmentListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        status = request.GET.get("status", "")
        qs = Assessment.objects.select_related("integration__vendor", "assignee").prefetch_related(
            "answers", "score_overrides")
        if status in AssessmentStatus.values:
            qs = qs.filter(status=status)
        elif status == "open":
            qs = qs.exclude(status=AssessmentStatus.DECIDED)
        page = Paginator(qs.order_by("-created", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        for a in rows:
            a.current = a.score(list(a.answers.all()))
        return render(request, "assessments/list.html", {
            "page_obj": page, "assessments": rows, "statuses": AssessmentStatus.choices, "status": status,
            "query": f"?status={status}" if status else "",
        })


class AssessmentStartView(PermissionRequiredMixin, View):
    """Step 1: choose the integration. Step 2: see its tier, the mandatory set, add optional ones."""

    required_permission = roles.ADD

    def _integration(self, request):
        value = request.GET.get("integration") or request.POST.get("integration") or ""
        if not value.isdigit():
            return None
        return get_object_or_404(Integration.objects.select_related("vendor"), pk=value)

    def _render(self, request, integration, form=None, status=200):
        language = content_language()
        if integration is None:
            return render(request, "assessments/start_choose.html",
                          {"form": ChooseIntegrationForm(request.GET or None)}, status=status)
        result = integration.tier_result()
        conditions, reasons = services.integration_conditions(integration)
        mandatory = load_checklist().requirements_for_tier(result.tier, set(conditions))
        optional = services.optional_choices(result.tier, conditions)
        form = form or StartForm(optional_choices=[(r.id, f"{r.id} — {r.text_for(language)}") for r in optional])
        return render(request, "assessments/start.html", {
            "integration": integration, "tier_result": result, "tier_reasons": result.explain(language),
            "conditions": [load_checklist().conditions[c][language] for c in sorted(conditions)],
            "mandatory": [describe_requirement(r, language) for r in mandatory], "form": form,
            "open_assessment": integration.assessments.exclude(status=AssessmentStatus.DECIDED).first(),
        }, status=status)

    def get(self, request):
        return self._render(request, self._integration(request))

    def post(self, request):
        integration = self._integration(request)
        if integration is None:
            return self._render(request, None, status=400)
        language = content_language()
        conditions, _reasons = services.integration_conditions(integration)
        optional = services.optional_choices(integration.tier_result().tier, conditions)
        form = StartForm(request.POST, optional_choices=[(r.id, f"{r.id} — {r.text_for(language)}") for r in optional])
        if not form.is_valid():
            return self._render(request, integration, form, status=400)
        try:
            assessment = services.start_assessment(integration, assignee=form.cleaned_data["assignee"],
                                                   due_date=form.cleaned_data["due_date"],
                                                   optional=form.cleaned_data["optional"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(request, integration, form, status=400)
        messages.success(request, _("Assessment of “%(name)s” started.") % {"name": integration.name})
        return redirect(assessment)


class AssessmentDetailView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        return self.render_sheet(request, assessment_or_404(pk))

    @staticmethod
    def render_sheet(request, assessment, evidence_form=None, answer_pk=None, status=200):
        """The answer sheet; ``evidence_form`` (bound, with errors) is shown on the answer ``answer_pk``."""
        language = content_language()
        answers = list(assessment.answers.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))))
        groups: dict = {}
        checklist = load_checklist()
        order = {r.id: i for i, r in enumerate(checklist.requirements)}
        auto = automated_evidence(assessment.integration, [a.requirement for a in answers])
        for answer in sorted(answers, key=lambda a: (not a.mandatory, order.get(a.requirement_id, 10**6))):
            req = answer.requirement
            title = checklist.point(req.point).title_for(language) if req else _("Retired requirements")
            key = (not answer.mandatory, title)
            bound = evidence_form if answer.pk == answer_pk else None
            groups.setdefault(key, []).append(answer_context(answer, language, evidence_form=bound,
                                                             auto=auto.get(answer.requirement_id, [])))
        counts = {v: 0 for v, _label in Answer._meta.get_field("value").choices}
        for a in answers:
            counts[a.value] += 1
        integration = assessment.integration
        return render(request, "assessments/detail.html", {
            "assessment": assessment, "integration": integration, "review_actions": review.review_actions(assessment),
            "groups": [{"optional": k[0], "title": k[1], "items": v} for k, v in groups.items()],
            "counts": counts, "total": len(answers),
            **score_context(assessment, suggestions=auto),
            "status_form": AssessmentForm(initial={"status": assessment.status, "assignee": assessment.assignee_id,
                                                   "due_date": assessment.due_date}),
            "tier_form": TierOverrideForm(initial={"tier_override": assessment.tier_override,
                                                   "justification": assessment.tier_override_justification}),
            "optional_choices": [r for r in services.optional_choices(assessment)
                                 if r.id not in {a.requirement_id for a in answers}],
            "flags": certification_flags(integration.vendor),
            "decision": getattr(assessment, "decision", None) if assessment.is_decided else None,
            "language": language,
        }, status=status)


class AssessmentUpdateView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        assessment = assessment_or_404(pk)
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                services.update_assessment(assessment, status=form.cleaned_data["status"],
                                           assignee=form.cleaned_data["assignee"],
                                           due_date=form.cleaned_data["due_date"])
                messages.success(request, _("Assessment saved."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("The assessment could not be saved: %(errors)s")
                           % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
        return redirect(assessment)


class TierOverrideView(PermissionRequiredMixin, View):
    required_permission = roles.DECIDE

    def post(self, request, pk: int):
        assessment = assessment_or_404(pk)
        form = TierOverrideForm(request.POST)
        if form.is_valid():
            try:
                services.set_tier_override(assessment, form.cleaned_data["tier_override"],
                                           form.cleaned_data["justification"])
                messages.success(request, _("The tier of this assessment was set."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(assessment)


class AddOptionalView(PermissionRequiredMixin, View):
    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        assessment = assessment_or_404(pk)
        try:
            added = services.add_optional(assessment, request.POST.getlist("requirement"))
            if added:
                messages.success(request, _("%(count)d optional requirement(s) added.") % {"count": len(added)})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(assessment)


class AnswerView(PermissionRequiredMixin, View):
    """POST one answer. HTMX gets the answer block back plus the score card (out of band)."""

    required_permission = roles.CHANGE

    def post(self, request, pk: int):
        answer = get_object_or_404(Answer.objects.select_related("assessment__integration"), pk=pk)
        form = AnswerForm(request.POST, prefix=f"a{answer.pk}")
        status = 200
        if form.is_valid():
            try:
                services.answer(answer, form.cleaned_data["value"], form.cleaned_data["comment"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
        else:
            status = 400
        if not is_htmx(request):
            if status != 200:
                messages.error(request, _("The answer was not saved."))
            return redirect(f"{answer.assessment.get_absolute_url()}#answer-{answer.pk}")
        assessment = answer.assessment
        language = content_language()
        saved = status == 200
        context = {**answer_context(answer, language, None if saved else form), "saved": saved,
                   "assessment": assessment, "oob": True, **score_context(assessment)}
        return vary_on_htmx(render(request, "assessments/_answer_response.html", context, status=status))


class ScoreOverrideView(PermissionRequiredMixin, View):
    required_permission = roles.DECIDE

    def post(self, request, pk: int):
        assessment = assessment_or_404(pk)
        if request.POST.get("remove"):
            override = get_object_or_404(ScoreOverride, assessment=assessment, key=request.POST.get("key", ""))
            try:
                services.remove_score_override(override)
                messages.success(request, _("The override was removed."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(f"{assessment.get_absolute_url()}#score")
        form = ScoreOverrideForm(request.POST)
        if form.is_valid():
            try:
                services.set_score_override(assessment, form.cleaned_data["key"], form.cleaned_data["points"],
                                            form.cleaned_data["justification"])
                messages.success(request, _("The deduction was overridden."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(f"{assessment.get_absolute_url()}#score")


class RubricView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        rules = scoring_review.rules()
        return render(request, "assessments/rubric.html", {
            "rubric": scoring_review.rubric(content_language()), "version": rules["version"],
            "intervals": sorted(rules["review_interval_months"].items()),
            "warn_days": rules["certificates"]["warn_days"],
        })
