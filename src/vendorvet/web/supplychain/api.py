"""REST API of the supply-chain app (under /api/supplychain/…).

``sboms``: list/retrieve SBOM versions (filter ``?integration=ID``), import one with a
multipart POST (``integration``, ``label``, ``file``; permission ``import``), and
``/sboms/{id}/diff/?against=ID`` (default: the previous version). ``findings``: read-only,
filter ``?sbom=ID`` or ``?integration=ID``.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from vendorvet.engine.supplychain.sbom import MAX_BYTES
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.filtersets import IdFilter, fk_filterset, parse_id
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.api.serializers import TenantPrimaryKeyRelatedField
from vendorvet.web.inventory.models import Integration
from vendorvet.web.supplychain import services
from vendorvet.web.supplychain.models import SbomComponent, SbomVersion, VulnerabilityFinding


class SbomVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SbomVersion
        fields = ["id", "integration", "label", "format", "spec_version", "document_name", "filename", "sha256",
                  "component_count", "without_purl", "osv_snapshot", "created"]
        read_only_fields = fields


class SbomUploadSerializer(serializers.Serializer):
    integration = TenantPrimaryKeyRelatedField(Integration)
    label = serializers.CharField(max_length=100)
    file = serializers.FileField()


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SbomComponent
        fields = ["id", "purl", "name", "version", "ecosystem", "licenses", "path"]


class VulnerabilityFindingSerializer(serializers.ModelSerializer):
    component = ComponentSerializer(read_only=True)

    class Meta:
        model = VulnerabilityFinding
        fields = ["id", "sbom", "component", "advisory_id", "aliases", "summary", "severity", "cvss_score",
                  "cvss_vector", "fixed_versions", "first_fixed"]


class FindingFilterSet(django_filters.FilterSet):
    sbom = IdFilter(label="SBOM version id.")
    integration = IdFilter(field_name="sbom__integration", label="Integration id.")

    class Meta:
        model = VulnerabilityFinding
        fields: list[str] = []


class SbomVersionViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = SbomVersionSerializer
    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"diff": "view", "create": "import"}
    filterset_class = fk_filterset(SbomVersion, {"integration": "Integration id."})

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SbomVersion.objects.none()
        return SbomVersion.objects.all()

    def get_serializer_class(self):
        return SbomUploadSerializer if self.action == "create" else SbomVersionSerializer

    def create(self, request, *args, **kwargs):
        upload = SbomUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        f = upload.validated_data["file"]
        if f.size > MAX_BYTES:
            raise ValidationError({"file": "the SBOM is larger than 100 MB"})
        try:
            sbom = services.import_sbom(upload.validated_data["integration"], f.read(),
                                        label=upload.validated_data["label"], filename=f.name)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None
        return Response(SbomVersionSerializer(sbom).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        sbom = self.get_object()
        against = parse_id(request.query_params, "against")
        old = (get_object_or_404(SbomVersion.objects.filter(integration_id=sbom.integration_id), pk=against)
               if against else services.previous_version(sbom))
        d = services.diff(old, sbom)
        return Response({
            "old": old.pk if old else None, "new": sbom.pk,
            "added": [c.purl for c in d["added"]], "removed": [c.purl for c in d["removed"]],
            "upgraded": [{"package": u["package"], "old": u["old"], "new": u["new"], "downgraded": u["downgraded"]}
                         for u in d["upgraded"]],
            "downgraded": [u["package"] for u in d["upgraded"] if u["downgraded"]],
            "vulnerabilities_added": [{"id": f.advisory_id, "purl": f.component.purl} for f in d["vulns_added"]],
            "vulnerabilities_fixed": [{"id": f.advisory_id, "purl": f.component.purl} for f in d["vulns_fixed"]],
        })


class FindingViewSet(TenantContextMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VulnerabilityFindingSerializer
    filterset_class = FindingFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return VulnerabilityFinding.objects.none()
        return VulnerabilityFinding.objects.select_related("component")


class OsvStatusSerializer(serializers.Serializer):
    records = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    ecosystems = serializers.DictField(child=serializers.IntegerField())
    imported_at = serializers.CharField(allow_null=True)
    newest_modified = serializers.CharField(allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    empty = serializers.BooleanField()
    stale = serializers.BooleanField()


class OsvStatusViewSet(TenantContextMixin, viewsets.GenericViewSet):
    """The OSV vulnerability database's state: records per ecosystem, last import, age, empty/stale.
    Installation-wide public data; any member of a tenant may read it."""

    serializer_class = OsvStatusSerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request):
        status = services.osv_status()
        return Response({k: status[k] for k in ("records", "withdrawn", "ecosystems", "imported_at",
                                                 "newest_modified", "age_days", "empty", "stale")})


ROUTES = ApiRoutes("supplychain", (
    Resource("sboms", SbomVersionViewSet, "supplychain-sbom"),
    Resource("findings", FindingViewSet, "supplychain-finding"),
    Resource("osv-status", OsvStatusViewSet, "supplychain-osv-status"),
))
