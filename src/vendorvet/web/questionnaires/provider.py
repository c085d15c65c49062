"""What the vendor stated arrives on the review as *vendor-stated* suggestions (registered as the ``questionnaire``
review-evidence provider), apart from what our scans, specifications, SBOMs and documents verified. A statement
that claims better than our own verified observation is marked as a contradiction."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.web.core.review import CHECKED, VENDOR_STATED, Problem, Suggestion

RANK = {"not_met": 0, "partly_met": 1, "met": 2, "not_applicable": 2}
SHOWN = ("answered", "accepted", "follow_up", "rejected")


def contradiction(item) -> str:
    """"The vendor states … — our scan on <date> saw …", when the statement is better than a verified observation."""
    from vendorvet.web.questionnaires.models import VendorAnswer

    if not item.vendor_answer:
        return ""
    for fact in item.verified or []:
        seen = fact.get("suggested")
        if seen in RANK and RANK[item.vendor_answer] > RANK[seen]:
            values = {"answer": dict(VendorAnswer.choices)[item.vendor_answer], "source": fact.get("source", ""),
                      "date": fact.get("at", ""), "text": fact.get("text", "")}
            if values["date"]:
                return gettext("The vendor says “%(answer)s” — our %(source)s on %(date)s saw: %(text)s") % values
            return gettext("The vendor says “%(answer)s” — our %(source)s saw: %(text)s") % values
    return ""


class QuestionnaireEvidence:
    key = "questionnaire"
    label = _("Vendor questionnaire")
    order = 90

    def requirement_ids(self):
        from vendorvet.engine.checklist import load_checklist

        return [r.id for r in load_checklist().requirements]

    def evidence(self, integration, requirement_ids) -> dict[str, Suggestion]:
        from vendorvet.web.questionnaires.models import QuestionnaireItem

        latest = {}
        for item in (QuestionnaireItem.objects.filter(questionnaire__assessment__integration=integration,
                                                      requirement_id__in=list(requirement_ids), state__in=SHOWN)
                     .exclude(answered_at=None).select_related("questionnaire").prefetch_related("files")
                     .order_by("answered_at", "pk")):
            latest[item.requirement_id] = item
        out = {}
        for rid, item in latest.items():
            if not item.vendor_answer:
                continue
            clash = contradiction(item)
            lines = [item.vendor_comment] if item.vendor_comment else []
            out[rid] = Suggestion(
                self.key, CHECKED, source=gettext("vendor questionnaire"), at=item.answered_at,
                link=item.questionnaire.get_absolute_url(), link_label=gettext("questionnaire"),
                suggested=item.vendor_answer, lines=tuple(lines), provenance=VENDOR_STATED,
                problems=(Problem(clash, code=""),) if clash else (),
                facts=(item.pk, item.vendor_answer, item.vendor_comment, item.state,
                       [f.sha256 for f in item.files.all()]),
                template="questionnaires/_suggestion.html",
                extra={"item": item, "contradiction": clash, "files": list(item.files.all())})
        return out


def answer_bases(assessment) -> dict[str, str]:
    """The assessment's answers that still carry an accepted vendor statement (not answered again since)."""
    from vendorvet.web.questionnaires.models import ItemState, QuestionnaireItem

    applied = {i.requirement_id: i.applied_answer_at
               for i in QuestionnaireItem.objects.filter(questionnaire__assessment=assessment,
                                                         state=ItemState.ACCEPTED).exclude(applied_answer_at=None)}
    if not applied:
        return {}
    out = {}
    for rid, answered_at in assessment.answers.filter(requirement_id__in=list(applied)).values_list(
            "requirement_id", "answered_at"):
        if answered_at is not None and answered_at == applied[rid]:
            out[rid] = VENDOR_STATED
    return out


def review_actions(assessment) -> list[tuple[str, str]]:
    """On the review page: "Ask the vendor" (the send form) and the CAIQ import, for those who may change it."""
    from django.urls import reverse

    from vendorvet.web.accounts import roles

    if not roles.has_perm(roles.CHANGE) or assessment.is_decided:
        return []
    return [(gettext("Ask the vendor"), reverse("questionnaires:send", args=[assessment.pk])),
            (gettext("Import a completed CSA CAIQ v4"), reverse("questionnaires:caiq_import", args=[assessment.pk]))]
