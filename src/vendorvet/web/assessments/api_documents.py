"""API: upload a certificate or report, get its suggestions (value, page, text), confirm them.

``POST /api/assessments/certificate-documents/`` (multipart: ``vendor``, ``file``) reads the file and answers
with the suggestions; ``GET …/<id>/`` shows them again; ``POST …/<id>/confirm/`` takes over the given fields
(``{"fields": {"<name>": "<value as confirmed>"}, "subservice_organizations": [...], "cuecs": [...]}``).
A file without a text layer, an unrecognised or a malformed file is a 400 with the reason; nothing is stored.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.exceptions import as_drf_validation_error
from vendorvet.web.api.routes import Resource
from vendorvet.web.api.serializers import TenantPrimaryKeyRelatedField
from vendorvet.web.assessments import documents
from vendorvet.web.assessments.models_documents import CertificationDocument
from vendorvet.web.inventory.models import Vendor


class DocumentSerializer(serializers.ModelSerializer):
    suggestions = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    subservice_organizations = serializers.SerializerMethodField()
    cuecs = serializers.SerializerMethodField()

    class Meta:
        model = CertificationDocument
        fields = ["id", "vendor", "certification", "original_name", "size", "sha256", "kind", "state",
                  "suggestions", "warnings", "notes", "subservice_organizations", "cuecs", "confirmed",
                  "confirmed_by_label", "confirmed_on", "created"]
        read_only_fields = fields

    def get_suggestions(self, obj) -> list[dict]:
        """Every field read: value, page, the words it came from, and the register field it fills (if any)."""
        mapping = documents.FIELD_MAP.get(obj.kind, {})
        return [{"field": name, "value": entry.get("value"), "page": entry.get("page"), "text": entry.get("text"),
                 "register_field": mapping.get(name, "")}
                for name, entry in documents.ordered(obj.reading.get("fields", {}))]

    def get_warnings(self, obj) -> list[str]:
        return [str(w) for w in documents.warnings(obj.reading)]

    def get_notes(self, obj) -> list[str]:
        return list(obj.reading.get("notes", []))

    def get_subservice_organizations(self, obj) -> list[str]:
        value = (obj.reading.get("fields", {}).get("subservice_organizations") or {}).get("value") or []
        return [str(v) for v in value]

    def get_cuecs(self, obj) -> list[str]:
        return list(obj.reading.get("cuecs", []))


class UploadSerializer(serializers.Serializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    file = serializers.FileField()


class ConfirmSerializer(serializers.Serializer):
    fields = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=5000))
    subservice_organizations = serializers.ListField(child=serializers.CharField(max_length=300), required=False,
                                                     default=list)
    cuecs = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)


@extend_schema_view(
    list=extend_schema(summary=_("List the certificates and reports read")),
    retrieve=extend_schema(summary=_("Show the suggestions read from a document")),
)
class CertificationDocumentViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                   viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, JSONParser]
    required_permissions = {"create": "change", "confirm": "change"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CertificationDocument.objects.none()
        return CertificationDocument.objects.select_related("vendor").order_by("-pk")

    @extend_schema(request=UploadSerializer, responses={201: DocumentSerializer},
                   summary=_("Upload a certificate or report and read it into suggestions"))
    def create(self, request):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            doc = documents.read_upload(data.validated_data["vendor"], data.validated_data["file"])
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConfirmSerializer, responses=DocumentSerializer,
                   summary=_("Confirm (or correct) suggestions into the certification register"))
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        doc = self.get_object()
        data = ConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            documents.confirm(doc, v["fields"], request.user, subservice=v["subservice_organizations"],
                              cuecs=v["cuecs"])
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        doc.refresh_from_db()
        return Response(DocumentSerializer(doc).data)


RESOURCES = (
    Resource("certificate-documents", CertificationDocumentViewSet, "assessments-certificate-document"),
)
