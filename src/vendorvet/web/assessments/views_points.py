"""The review-point list behind the dashboard's coverage figure: answered review points, filtered by how they
were answered (with a checked automated suggestion, with only "could not check", or without any)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.assessments.dashboard import COVERAGE, COVERAGE_LABELS, answered_points, coverage_q
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.views import PermissionRequiredMixin

PAGE_SIZE = 50


class PointListView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request):
        coverage = request.GET.get("coverage", "")
        qs = answered_points().select_related("assessment__integration")
        if coverage in COVERAGE:
            qs = qs.filter(coverage_q(coverage))
        page = Paginator(qs.order_by("-answered_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        language = content_language()
        rows = []
        for answer in page.object_list:
            requirement = answer.requirement
            rows.append({"answer": answer, "text": requirement.text_for(language) if requirement else "",
                         "integration": answer.assessment.integration})
        return render(request, "assessments/points.html", {
            "page_obj": page, "rows": rows, "coverage": coverage,
            "choices": [(k, COVERAGE_LABELS[k]) for k in COVERAGE],
        })
