"""REST API of the decision side (mounted under /api/ by :func:`assessments.api.register`): the approval policy
(read: everyone; change: administrators, a new version with a reason), the risk acceptance register, the
conditions (mark done), and the DPO's legal sign-off. The rules live in :mod:`.policy` and :mod:`.risk`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from vendorvet.web.api.filtersets import parse_id
from vendorvet.web.api.routes import Resource
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.exceptions import as_drf_validation_error
from vendorvet.web.assessments import policy as approval_policy
from vendorvet.web.assessments import risk
from vendorvet.web.assessments.models import Assessment, Condition
from vendorvet.web.assessments.models_policy import (
    MAX_ACCEPTANCE_DAYS,
    AcceptanceState,
    ApprovalPolicy,
    RiskAcceptance,
)


class PolicySerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True)
    four_eyes_max_tier = serializers.IntegerField(min_value=0, max_value=4)
    min_grade = serializers.CharField(max_length=2)
    block_mandatory_unknown = serializers.BooleanField()
    block_mandatory_failed = serializers.BooleanField()
    allow_risk_acceptance = serializers.BooleanField()
    max_acceptance_days = serializers.IntegerField(min_value=1, max_value=MAX_ACCEPTANCE_DAYS)
    reminder_days = serializers.IntegerField(min_value=0)
    dpo_signoff_required = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, write_only=True)
    changed_by = serializers.CharField(source="changed_by_label", read_only=True)
    created = serializers.DateTimeField(read_only=True, allow_null=True)


class PolicyVersionSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by_label")

    class Meta:
        model = ApprovalPolicy
        fields = ["version", *approval_policy.FIELDS, "reason", "changed_by", "created"]


class PolicyViewSet(TenantContextMixin, viewsets.ViewSet):
    """GET /api/assessments/approval-policy/ — the policy in force; PUT — a new version; GET …/versions/ — the history."""

    required_permissions = {"update": "manage_policy", "create": "manage_policy"}
    filter_backends: list = []

    @extend_schema(responses=PolicySerializer, summary=_("The approval policy in force"))
    def list(self, request):
        return Response(PolicySerializer(approval_policy.current()).data)

    @extend_schema(request=PolicySerializer, responses=PolicySerializer,
                   summary=_("Change the approval policy (a new version with its reason)"))
    def create(self, request):
        data = PolicySerializer(data={**approval_policy.as_dict(approval_policy.current()), **request.data})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        reason = values.pop("reason")
        try:
            policy = approval_policy.change(reason, **values)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(PolicySerializer(policy).data, status=201)

    @extend_schema(responses=PolicyVersionSerializer(many=True), summary=_("All versions of the approval policy"))
    @action(detail=False, methods=["get"])
    def versions(self, request):
        return Response(PolicyVersionSerializer(ApprovalPolicy.objects.order_by("-version"), many=True).data)


class RiskAcceptanceSerializer(serializers.ModelSerializer):
    integration_name = serializers.CharField(source="integration.name", read_only=True)
    state = serializers.SerializerMethodField()
    assessment = serializers.IntegerField(source="decision.assessment_id", read_only=True)

    class Meta:
        model = RiskAcceptance
        fields = ["id", "integration", "integration_name", "assessment", "risk_owner", "justification",
                  "compensating_controls", "expires_on", "state", "shortfalls", "accepted_by_label", "accepted_on"]

    def get_state(self, obj) -> str:
        return getattr(obj, "current_state", None) or obj.state()


class RiskAcceptanceViewSet(TenantContextMixin, viewsets.ViewSet):
    """The risk acceptance register; filter with ``?state=active|expiring|lapsed`` and ``?integration=``."""

    filter_backends: list = []

    @extend_schema(responses=RiskAcceptanceSerializer(many=True), summary=_("The risk acceptance register"),
                   parameters=[OpenApiParameter("integration", int, description=_("Integration id.")),
                               OpenApiParameter("state", str, enum=["active", "expiring", "lapsed"]),
                               OpenApiParameter("owner", str)])
    def list(self, request):
        params = request.query_params
        integration = None
        wanted = parse_id(params, "integration")  # 400 for a malformed or oversized id
        if wanted is not None:
            from vendorvet.web.inventory.models import Integration

            integration = Integration.objects.filter(pk=wanted).first()
            if integration is None:
                return Response([])
        state = params.get("state", "")
        if state and state not in AcceptanceState.values:
            raise serializers.ValidationError({"state": _("Choose active, expiring or lapsed.")})
        rows = risk.register(state=state, integration=integration, owner=(params.get("owner") or "")[:200],
                             warn_days=approval_policy.current().reminder_days)
        return Response(RiskAcceptanceSerializer(rows, many=True).data)


class ConditionSerializer(serializers.ModelSerializer):
    integration = serializers.IntegerField(source="decision.assessment.integration_id", read_only=True)

    class Meta:
        model = Condition
        fields = ["id", "integration", "text", "owner", "due_date", "done", "done_at", "done_by_label", "done_note"]


class ConditionDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ConditionViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Conditions of approvals; ``?open=1`` lists only those not done; POST …/done/ marks one done."""

    serializer_class = ConditionSerializer
    required_permissions = {"done": "change"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Condition.objects.none()
        qs = Condition.objects.select_related("decision__assessment").order_by("due_date", "pk")
        if self.request.query_params.get("open") in ("1", "true"):
            qs = qs.filter(done=False)
        return qs

    @extend_schema(request=ConditionDoneSerializer, responses=ConditionSerializer, summary=_("Mark a condition done"))
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        data = ConditionDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            condition = risk.mark_condition_done(self.get_object(), data.validated_data["note"])
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(ConditionSerializer(condition).data)


class SignOffSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


def acceptance_input(data: dict | None):
    """The API's ``risk_acceptance`` object → :class:`risk.AcceptanceInput` (None when absent)."""
    if not data:
        return None
    return risk.AcceptanceInput(risk_owner=data.get("risk_owner", ""), justification=data.get("justification", ""),
                                compensating_controls=data.get("compensating_controls", ""),
                                expires_on=data.get("expires_on"), risk_owner_user=data.get("risk_owner_user"))


def sign_off(assessment: Assessment, note: str):
    try:
        return risk.sign_off_legal(assessment, note)
    except DjangoValidationError as exc:
        raise as_drf_validation_error(exc) from exc


# /api/assessments/approval-policy/, …/risk-acceptances/, …/conditions/ (listed in assessments.api.ROUTES)
RESOURCES = (
    Resource("approval-policy", PolicyViewSet, "assessments-approval-policy"),
    Resource("risk-acceptances", RiskAcceptanceViewSet, "assessments-risk-acceptance"),
    Resource("conditions", ConditionViewSet, "assessments-condition"),
)
