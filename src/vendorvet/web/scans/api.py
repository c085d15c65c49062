"""REST API: scan runs (list, show, start) and their stored findings."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from vendorvet.web.accounts import roles
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.filtersets import MAX_ID, IdFilter
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.inventory.models import Integration
from vendorvet.web.scans import services
from vendorvet.web.scans.models import Finding, RunStatus, ScanRun, ScanTarget


class FindingSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="scan_target.target", read_only=True)
    host = serializers.CharField(source="scan_target.host", read_only=True)
    port = serializers.IntegerField(source="scan_target.port", read_only=True)
    integration = serializers.IntegerField(source="run.integration_id", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "run", "integration", "target", "host", "port", "check_id", "status", "severity", "title",
                  "detail", "evidence"]
        read_only_fields = fields


class ScanTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScanTarget
        fields = ["id", "target", "host", "port", "addresses", "grade", "score", "deductions", "note",
                  "duration_seconds"]
        read_only_fields = fields


class ScanRunSerializer(serializers.ModelSerializer):
    targets = ScanTargetSerializer(many=True, read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = ScanRun
        fields = ["id", "integration", "status", "requested_by_label", "created", "started", "finished",
                  "engine_version", "allow_private", "error", "targets", "counts"]
        read_only_fields = fields

    def get_counts(self, run) -> dict[str, int]:
        counts = {s: 0 for s in Finding.STATUSES}
        for f in run.findings.all():
            counts[f.status] = counts.get(f.status, 0) + 1
        return counts


class ScanRunDetailSerializer(ScanRunSerializer):
    changes = serializers.SerializerMethodField()

    class Meta(ScanRunSerializer.Meta):
        fields = [*ScanRunSerializer.Meta.fields, "changes"]
        read_only_fields = fields

    def get_changes(self, run) -> dict | None:
        if run.status != RunStatus.DONE:
            return None
        diff = services.compare(run)
        as_dicts = lambda items: [vars(c) for c in items]  # noqa: E731
        return {"previous_run": diff.previous.pk if diff.previous else None, "new": as_dicts(diff.new),
                "resolved": as_dicts(diff.resolved), "changed": as_dicts(diff.changed)}


class StartScanSerializer(serializers.Serializer):
    integration = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ScanRunFilterSet(django_filters.FilterSet):
    integration = IdFilter(label=_("Only runs of this integration"))
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)

    class Meta:
        model = ScanRun
        fields: list[str] = []


class FindingFilterSet(django_filters.FilterSet):
    run = IdFilter(label=_("Only findings of this scan run"))
    integration = IdFilter(method="latest_of_integration", label=_(
        "Only findings of this integration's latest finished scan (unless run is given)"))
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in Finding.STATUSES])
    check_id = django_filters.CharFilter(method="by_check", max_length=200,
                                         label=_("A check id, or a prefix such as tls or tls.cert"))

    class Meta:
        model = Finding
        fields: list[str] = []

    def latest_of_integration(self, queryset, name, value):
        if self.form.cleaned_data.get("run") is not None:
            return queryset
        latest = (ScanRun.objects.filter(integration_id=value, status=RunStatus.DONE)
                  .order_by("-created", "-pk").values_list("pk", flat=True).first())
        return queryset.filter(run_id=latest)

    def by_check(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(check_id=value) | Q(check_id__startswith=value + ".")) if value else queryset


@extend_schema_view(
    list=extend_schema(summary=_("List scan runs")),
    retrieve=extend_schema(summary=_("Show a scan run"),
                           description=_("Targets with grade, score and deductions, counts by status, and what "
                                         "changed since the previous finished run.")),
    create=extend_schema(summary=_("Start a scan"), request=StartScanSerializer,
                         responses={202: ScanRunSerializer},
                         description=_("Queues a scan of the integration's endpoints (needs the change "
                                       "permission). 409 when one is already queued or running, or when the "
                                       "integration has no endpoints.")),
)
class ScanRunViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ScanRunSerializer
    filterset_class = ScanRunFilterSet
    required_permissions = {"create": roles.CHANGE}

    def get_serializer_class(self):
        if self.action == "create":
            return StartScanSerializer
        return ScanRunDetailSerializer if self.action == "retrieve" else ScanRunSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ScanRun.objects.none()
        return ScanRun.objects.prefetch_related("targets", "findings").order_by("-created", "-pk")

    def create(self, request, *args, **kwargs):
        start = StartScanSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        integration = get_object_or_404(Integration.objects.all(), pk=start.validated_data["integration"])
        try:
            run = services.start_scan(integration)
        except services.ScanRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        run = self.get_queryset().get(pk=run.pk)
        return Response(ScanRunSerializer(run, context=self.get_serializer_context()).data,
                        status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary=_("List scan findings")),
    retrieve=extend_schema(summary=_("Show a scan finding")),
)
class FindingViewSet(TenantContextMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Finding.objects.none()
        return Finding.objects.select_related("scan_target", "run").order_by("run_id", "scan_target_id", "check_id")


class CheckSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("The check id, as in findings"))
    kind = serializers.ChoiceField(choices=["scan", "openapi"], help_text=_("scan: endpoint scan; openapi: audit of "
                                                                           "an API specification"))
    severity = serializers.CharField()
    title = serializers.CharField()
    risk = serializers.CharField()
    remediation = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())


@extend_schema_view(list=extend_schema(summary=_("List the checks behind scan and audit findings"),
                                       parameters=[OpenApiParameter("kind", str, enum=["scan", "openapi"])]))
class CheckViewSet(TenantContextMixin, viewsets.GenericViewSet):
    """The check catalogue, read from the engine's check contract (a new check module appears here by itself);
    texts in the reader's language."""

    serializer_class = CheckSerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request):
        from vendorvet.engine import registry
        from vendorvet.web.core.checktexts import check_text

        kind = request.query_params.get("kind")
        rows = [{"id": c.id, "kind": c.kind, "severity": c.severity.value, "sources": list(c.sources),
                 **{f: check_text(c.id, f) for f in ("title", "risk", "remediation")}}
                for c in registry.catalogue().values() if not kind or c.kind == kind]
        return Response(CheckSerializer(rows, many=True).data)


ROUTES = ApiRoutes("scans", (
    Resource("runs", ScanRunViewSet, "scans-run", old_paths=("scan-runs",)),
    Resource("findings", FindingViewSet, "scans-finding", old_paths=("scan-findings",)),
    Resource("checks", CheckViewSet, "scans-check", old_paths=("scan-checks",)),
))
