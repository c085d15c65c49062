"""REST API of the DORA app (under /api/dora/…): the register's completeness check as JSON, and the branches of
the financial entity (B_01.03) to list, add, change and delete."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from vendorvet.engine import dora as engine
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.api.serializers import CountryCodeField
from vendorvet.web.api.views.common import TenantModelViewSet
from vendorvet.web.dora import services
from vendorvet.web.dora.models import DoraBranch
from vendorvet.web.inventory.services import save_object


class BranchSerializer(serializers.ModelSerializer):
    """Writes go through ``save_object`` (role check, full validation incl. the per-tenant unique code)."""

    country = CountryCodeField()

    class Meta:
        model = DoraBranch
        fields = ["id", "code", "name", "country", "last_updated"]
        read_only_fields = ["last_updated"]

    def create(self, validated_data):
        return save_object(DoraBranch(**validated_data), creating=True)

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return save_object(instance, creating=False)


class BranchViewSet(TenantModelViewSet):
    """Branches of the financial entity (template B_01.03); contracts name the branches using their services."""

    model, serializer_class, ordering = DoraBranch, BranchSerializer, ("code", "pk")


class RegisterViewSet(TenantContextMixin, viewsets.ViewSet):
    """The register of information: whether the tenant is a financial entity, the rows per template and every
    problem found by the offline validation (template, row, column, message)."""

    required_permissions = {"list": "view"}

    @extend_schema(summary=_("DORA register: completeness"), responses=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter("lang", str, enum=["en", "de"])])
    def list(self, request):
        language = request.query_params.get("lang", "en")
        if language not in ("en", "de"):
            raise ValidationError({"non_field_errors": ["lang must be en or de"]})
        assembly = services.assemble()
        if assembly is None:
            return Response({"financial_entity": False, "complete": False, "templates": {}, "issues": []})
        tables = engine.build(assembly.register)
        issues = engine.validate(tables, assembly.register.reporting_date)
        return Response({
            "financial_entity": True,
            "complete": not issues,
            "reference_date": assembly.register.reference_date.isoformat(),
            "templates": {template_id: len(rows) for template_id, rows in tables.items()},
            "issues": [{"template": i.template, "row": i.row, "column": i.column, "code": i.code,
                        "message": i.message_de if language == "de" else i.message, "subject": i.subject,
                        "where": i.where} for i in issues],
        })


ROUTES = ApiRoutes("dora", (
    Resource("register", RegisterViewSet, "dora-register"),
    Resource("branches", BranchViewSet, "dora-branch"),
))
