"""REST API: discovered apps (read-only) and discovery imports (list, show, upload)."""

from __future__ import annotations

import tempfile

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.openapi_audit import MAX_BYTES, OpenAPIError
from vendorvet.web.accounts import roles
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.filtersets import MAX_ID, IdFilter
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.discovery import proposals, sources
from vendorvet.web.discovery.importer import risk_order, run_import
from vendorvet.web.discovery.listing import app_document
from vendorvet.web.discovery.models import AppStatus, DiscoveredApp, ImportRun, OpenApiAudit, ReviewState, Risk
from vendorvet.web.discovery.openapi import store_audit
from vendorvet.web.inventory.choices import DataCategory
from vendorvet.web.inventory.models import Integration

MAX_FILES = 50


class DiscoveredAppSerializer(serializers.Serializer):
    """The same shape as ``vendorvet discover list --format json`` (one element of ``apps``)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    platform = serializers.CharField(read_only=True)
    sources = serializers.ListField(child=serializers.CharField(), read_only=True)
    client_id = serializers.CharField(read_only=True)
    users = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.ChoiceField(choices=AppStatus.choices, read_only=True)
    risk = serializers.ChoiceField(choices=Risk.choices, read_only=True)
    risk_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    scopes = serializers.ListField(child=serializers.DictField(), read_only=True)
    integration_id = serializers.IntegerField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)
    review_state = serializers.ChoiceField(choices=ReviewState.choices, read_only=True)
    review_reason = serializers.CharField(read_only=True)
    suggested_data = serializers.DictField(read_only=True)
    first_seen = serializers.DateTimeField(read_only=True, allow_null=True)
    last_seen = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_representation(self, instance):
        return app_document(instance)


class AcceptSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    vendor = serializers.CharField(max_length=200)
    data_categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices),
                                            required=False, help_text="default: the categories the scopes suggest")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class SourceField(serializers.ChoiceField):
    """A discovery source's id; the choices are the registered sources when the serializer is built
    (also in the API schema), not a fixed list."""

    def __init__(self, **kwargs):
        super().__init__(choices=[], **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.choices = sources.choices()


class ImportRunSerializer(serializers.ModelSerializer):
    source = SourceField(read_only=True)
    new_apps = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = ["id", "source", "files", "started", "finished", "actor_label", "records", "skipped", "apps_seen",
                  "apps_new", "integrations_created", "grants_new", "revocations", "revoked", "warnings", "new_apps"]
        read_only_fields = fields

    def get_new_apps(self, run) -> list[int]:
        return list(DiscoveredApp.objects.filter(first_import=run).values_list("pk", flat=True))


class ImportUploadSerializer(serializers.Serializer):
    source = SourceField()
    files = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=MAX_FILES)


class DiscoveredAppFilterSet(django_filters.FilterSet):
    risk = django_filters.ChoiceFilter(choices=Risk.choices)
    status = django_filters.ChoiceFilter(choices=AppStatus.choices)
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = DiscoveredApp
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("List discovered apps")),
    retrieve=extend_schema(summary=_("Show a discovered app")),
)
class DiscoveredAppViewSet(TenantContextMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DiscoveredAppSerializer
    filterset_class = DiscoveredAppFilterSet
    required_permissions = {"accept": roles.ADD, "reject": roles.CHANGE}

    @extend_schema(summary=_("Accept a discovered app into the inventory"), request=AcceptSerializer,
                   responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        app = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        categories = body.validated_data.get("data_categories")
        if categories is None:
            categories = list(proposals.suggestion(app).categories)
        try:
            integration = proposals.accept(app, name=body.validated_data["name"],
                                           vendor_name=body.validated_data["vendor"], data_categories=categories)
        except proposals.ProposalError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response({"integration_id": integration.pk, "data_categories": integration.data_categories,
                         "tier": integration.tier}, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Reject a discovered app"), request=RejectSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        app = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            proposals.reject(app, body.validated_data["reason"])
        except proposals.ProposalError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        app.refresh_from_db()
        return Response(app_document(app))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DiscoveredApp.objects.none()
        return DiscoveredApp.objects.prefetch_related("grants").order_by("name", "pk")

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(sorted(queryset, key=risk_order))


@extend_schema_view(
    list=extend_schema(summary=_("List discovery imports")),
    retrieve=extend_schema(summary=_("Show a discovery import")),
    create=extend_schema(summary=_("Import discovery exports"), request={"multipart/form-data": ImportUploadSerializer},
                         responses={201: ImportRunSerializer},
                         description=_("One transaction: input that cannot be read stores nothing (400).")),
)
class ImportRunViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportRunSerializer
    parser_classes = [MultiPartParser]
    required_permissions = {"create": roles.IMPORT}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportRun.objects.none()
        return ImportRun.objects.order_by("-started", "-pk")

    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data={"source": request.data.get("source"),
                                              "files": request.FILES.getlist("files")})
        upload.is_valid(raise_exception=True)
        files = upload.validated_data["files"]
        temps = []
        try:
            for f in files:
                tmp = tempfile.NamedTemporaryFile(prefix="vendorvet-discovery-", delete=True)
                for chunk in f.chunks():
                    tmp.write(chunk)
                tmp.flush()
                temps.append(tmp)
            report = run_import(upload.validated_data["source"], [t.name for t in temps],
                                names=[f.name[:120] for f in files])
        except DiscoveryInputError as exc:
            return Response({"detail": f"{exc} — nothing was imported"}, status=status.HTTP_400_BAD_REQUEST)
        finally:
            for t in temps:
                t.close()
        return Response(ImportRunSerializer(report.run).data, status=status.HTTP_201_CREATED)


class OpenApiAuditSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpenApiAudit
        fields = ["id", "integration", "file_name", "openapi_version", "title", "api_version", "operations",
                  "counts", "findings", "created"]
        read_only_fields = fields


class OpenApiUploadSerializer(serializers.Serializer):
    integration = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    file = serializers.FileField()

    def validate_integration(self, value):
        integration = Integration.objects.filter(pk=value).first()
        if integration is None:
            raise serializers.ValidationError("no such integration")
        return integration

    def validate_file(self, value):
        if value.size > MAX_BYTES:
            raise serializers.ValidationError(f"the file is larger than the limit of {MAX_BYTES // 1048576} MB")
        return value


class OpenApiAuditFilterSet(django_filters.FilterSet):
    integration = IdFilter(label=_("Integration id."))

    class Meta:
        model = OpenApiAudit
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_("List OpenAPI audits")),
    retrieve=extend_schema(summary=_("Show an OpenAPI audit")),
    create=extend_schema(summary=_("Audit an integration's OpenAPI document"),
                         request={"multipart/form-data": OpenApiUploadSerializer},
                         responses={201: OpenApiAuditSerializer},
                         description=_("A document that cannot be audited stores nothing (400).")),
)
class OpenApiAuditViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = OpenApiAuditSerializer
    parser_classes = [MultiPartParser]
    required_permissions = {"create": roles.CHANGE}
    filterset_class = OpenApiAuditFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OpenApiAudit.objects.none()
        return OpenApiAudit.objects.order_by("-created", "-pk")

    def create(self, request, *args, **kwargs):
        upload = OpenApiUploadSerializer(data={"integration": request.data.get("integration"),
                                               "file": request.FILES.get("file")})
        upload.is_valid(raise_exception=True)
        f = upload.validated_data["file"]
        name = f.name[:255]
        with tempfile.NamedTemporaryFile(prefix="vendorvet-openapi-", delete=True) as tmp:
            for chunk in f.chunks():
                tmp.write(chunk)
            tmp.flush()
            try:
                audit = store_audit(upload.validated_data["integration"], tmp.name, name)
            except OpenAPIError as exc:
                return Response({"detail": f"{str(exc).replace(tmp.name, name)} — nothing was stored"},
                                status=status.HTTP_400_BAD_REQUEST)
        return Response(OpenApiAuditSerializer(audit).data, status=status.HTTP_201_CREATED)


ROUTES = ApiRoutes("discovery", (
    Resource("openapi-audits", OpenApiAuditViewSet, "discovery-openapi-audit"),
    Resource("apps", DiscoveredAppViewSet, "discovery-app"),
    Resource("imports", ImportRunViewSet, "discovery-import"),
))
