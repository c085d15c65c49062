"""REST API of assessments and the certification register (mounted under /api/).

GET needs ``view``; starting an assessment (POST /assessments/) ``add``; answers, overrides,
status changes and the decision ``change`` — checked in ``assessments.services`` as for web and CLI.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from vendorvet.engine import scoring_review
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.exceptions import as_drf_validation_error
from vendorvet.web.api.filtersets import IdFilter
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.api.serializers import ServiceModelSerializer, TenantPrimaryKeyRelatedField
from vendorvet.web.api.views.common import TenantModelViewSet
from vendorvet.web.assessments import api_decide, api_documents, services
from vendorvet.web.assessments.forms import member_users
from vendorvet.web.assessments.models import (
    Answer,
    AnswerValue,
    Assessment,
    AssessmentStatus,
    Certification,
    Outcome,
    RiskAcceptance,
)
from vendorvet.web.core.i18n import content_language
from vendorvet.web.inventory.models import Integration, Vendor


class MemberField(serializers.SlugRelatedField):
    """A member of the active tenant, by user name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        kwargs.setdefault("queryset", get_user_model().objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return member_users()


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["id", "requirement_id", "mandatory", "value", "comment", "answered_at"]


class ScoreLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    points = serializers.CharField()
    original = serializers.CharField()
    override_justification = serializers.CharField(allow_blank=True)


class AssessmentSerializer(serializers.ModelSerializer):
    integration = TenantPrimaryKeyRelatedField(Integration)
    assignee = MemberField(required=False, allow_null=True)
    optional = serializers.ListField(child=serializers.CharField(max_length=100), write_only=True, required=False,
                                     max_length=100)
    tier = serializers.IntegerField(read_only=True)
    score = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "integration", "status", "assignee", "due_date", "checklist_version", "tier_at_start",
                  "tier_override", "tier_override_justification", "tier", "tier_reasons", "conditions", "optional",
                  "score", "answers", "decision", "created", "last_updated"]
        read_only_fields = ["checklist_version", "tier_at_start", "tier_override", "tier_override_justification",
                            "tier_reasons", "conditions", "created", "last_updated"]

    def get_score(self, obj) -> dict:
        result = obj.score(with_coverage=True)
        overrides = {o.key: o.justification for o in obj.score_overrides.all()}
        return {"score": result.score, "grade": result.grade, "rubric_version": result.rubric_version,
                "points_lost": scoring_review.fmt(result.points_lost),
                # what the automated evidence covered: checks that ran of those cited, requirements it could
                # not check, mandatory answers still unknown (never moves the score)
                "coverage": result.coverage.as_dict(),
                "lines": [{"key": line.key, "text": line.text(content_language()), "points": scoring_review.fmt(line.points),
                           "original": scoring_review.fmt(line.original),
                           "override_justification": overrides.get(line.key, "")} for line in result.lines]}

    def get_decision(self, obj) -> dict | None:
        decision = getattr(obj, "decision", None) if obj.is_decided else None
        if decision is None:
            return None
        acceptance = RiskAcceptance.objects.filter(decision=decision).first()
        return {"outcome": decision.outcome, "reviewer": decision.reviewer_label, "decided_on": decision.decided_on,
                "justification": decision.justification, "score": decision.score, "grade": decision.grade,
                "next_review_date": decision.next_review_date,
                "conditions": [{"id": c.pk, "text": c.text, "owner": c.owner, "due_date": c.due_date, "done": c.done}
                               for c in decision.conditions.all()],
                "risk_acceptance": api_decide.RiskAcceptanceSerializer(acceptance).data if acceptance else None}

    def create(self, validated_data):
        try:
            return services.start_assessment(validated_data["integration"], assignee=validated_data.get("assignee"),
                                             due_date=validated_data.get("due_date"),
                                             optional=validated_data.get("optional", []))
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def update(self, instance, validated_data):
        kwargs = {k: validated_data[k] for k in ("assignee", "due_date") if k in validated_data}
        try:
            return services.update_assessment(instance, status=validated_data.get("status"), **kwargs)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc


class AnswerInputSerializer(serializers.Serializer):
    requirement_id = serializers.CharField(max_length=100)
    value = serializers.ChoiceField(choices=AnswerValue.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ConditionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    owner = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                  help_text=_("A named person (or use owner_user for a member)."))
    owner_user = MemberField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField()


class RiskAcceptanceInputSerializer(serializers.Serializer):
    risk_owner = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    risk_owner_user = MemberField(required=False, allow_null=True, default=None)
    justification = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    compensating_controls = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    justification = serializers.CharField(max_length=10000)
    decided_on = serializers.DateField(required=False)
    conditions = ConditionInputSerializer(many=True, required=False)
    risk_acceptance = RiskAcceptanceInputSerializer(required=False, allow_null=True,
                                                    help_text=_("Needed for an approval below the approval policy."))


class OverrideInputSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=200)
    points = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    justification = serializers.CharField(max_length=2000)


class TierOverrideInputSerializer(serializers.Serializer):
    tier = serializers.IntegerField(min_value=1, max_value=4, allow_null=True)
    justification = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class AssessmentFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("Status of the assessment."))
    integration = IdFilter(label=_("Integration id."))

    class Meta:
        model = Assessment
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("List assessments"), description=_("Filter with `?status=` and `?integration=`.")),
    retrieve=extend_schema(summary=_("Show an assessment with answers, score lines and decision")),
    create=extend_schema(summary=_("Start an assessment"),
                         description=_("One answer (unknown) per requirement the integration's tier makes mandatory, "
                                       "plus the `optional` requirement ids.")),
    partial_update=extend_schema(summary=_("Change status, assignee or due date")),
)
class AssessmentViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = AssessmentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {"answer": "change", "decide": "decide", "override": "decide", "tier": "decide",
                            "legal_signoff": "sign_off_legal"}
    filterset_class = AssessmentFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return Assessment.objects.select_related("integration", "assignee").prefetch_related(
            "answers", "score_overrides").order_by("-created", "-pk")

    def _run(self, fn, *args, **kwargs):
        try:
            fn(*args, **kwargs)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(AssessmentSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(request=AnswerInputSerializer, responses=AssessmentSerializer, summary=_("Answer a requirement"))
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return self._run(services.answer_by_id, self.get_object(), v["requirement_id"], v["value"], v.get("comment"))

    @extend_schema(request=DecisionInputSerializer, responses=AssessmentSerializer, summary=_("Decide"))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        conditions = [(c["text"], c.get("owner_user") or c.get("owner", ""), c["due_date"])
                      for c in v.get("conditions", [])]
        return self._run(services.decide, self.get_object(), v["outcome"], v["justification"], conditions,
                         decided_on=v.get("decided_on"), risk_acceptance=api_decide.acceptance_input(
                             v.get("risk_acceptance")))

    @extend_schema(request=api_decide.SignOffSerializer, responses=AssessmentSerializer,
                   summary=_("Sign off the legal points (data protection officer)"))
    @action(detail=True, methods=["post"], url_path="legal-signoff")
    def legal_signoff(self, request, pk=None):
        data = api_decide.SignOffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api_decide.sign_off(self.get_object(), data.validated_data["note"])
        return Response(AssessmentSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(request=OverrideInputSerializer, responses=AssessmentSerializer,
                   summary=_("Override one deduction of the score, with a justification"))
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        data = OverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return self._run(services.set_score_override, self.get_object(), v["key"], v["points"], v["justification"])

    @extend_schema(request=TierOverrideInputSerializer, responses=AssessmentSerializer,
                   summary=_("Hold the assessment to another tier, with a justification"))
    @action(detail=True, methods=["post"])
    def tier(self, request, pk=None):
        data = TierOverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["tier"] and not v["justification"].strip():
            raise serializers.ValidationError({"justification": [_("A tier override needs a justification.")]})
        return self._run(services.set_tier_override, self.get_object(), v["tier"], v["justification"])


class CertificationSerializer(ServiceModelSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    expires_on = serializers.DateField(read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = ["id", "vendor", "kind", "standard", "certificate_number", "holder", "issuer", "scope", "valid_from", "valid_until",
                  "period_end", "bridge_letter_until", "test_date", "notes", "expires_on", "state", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]

    def get_state(self, obj) -> str:
        return obj.state()


CERTIFICATE_STATES = [(state, state) for state in (scoring_review.EXPIRED, scoring_review.EXPIRING,
                                                    scoring_review.VALID, scoring_review.UNKNOWN_STATE)]


class CertificationFilterSet(django_filters.FilterSet):
    vendor = IdFilter(label=_("Vendor id."))
    state = django_filters.ChoiceFilter(choices=CERTIFICATE_STATES, method="by_state",
                                        label=_("expired, expiring (within 60 days), valid or unknown."))

    class Meta:
        model = Certification
        fields: list[str] = []

    def by_state(self, queryset, name, value):
        return queryset.filter(pk__in=[c.pk for c in queryset if c.state() == value])  # computed, not stored


@extend_schema_view(
    list=extend_schema(summary=_("List the certification register"),
                       description=_("`state` is expired, expiring (within 60 days), valid or unknown. "
                                     "Filter with `?vendor=` and `?state=`.")),
    create=extend_schema(summary=_("Add a certification to the register")),
    retrieve=extend_schema(summary=_("Show a certification")),
    update=extend_schema(summary=_("Replace a certification")),
    partial_update=extend_schema(summary=_("Change fields of a certification")),
    destroy=extend_schema(summary=_("Remove a certification")),
)
class CertificationViewSet(TenantModelViewSet):
    model = Certification
    serializer_class = CertificationSerializer
    ordering = ("vendor__name", "kind", "pk")
    filterset_class = CertificationFilterSet

    def base_queryset(self):
        return Certification.objects.select_related("vendor")


ROUTES = ApiRoutes("assessments", (
    Resource("assessments", AssessmentViewSet, "assessments-assessment", old_paths=("assessments",)),
    Resource("certifications", CertificationViewSet, "assessments-certification", old_paths=("certifications",)),
    *api_decide.RESOURCES,
    *api_documents.RESOURCES,
))
