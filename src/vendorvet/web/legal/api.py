"""REST API of the legal app (under /api/legal/…): profiles, sub-processors, contracts, the AVV/DPA
checklist, transfer assessments, TIAs, the record of processing, and a stateless transfer check.

Writes go through ``inventory.services.save_object`` (role check + full_clean); a new
sub-processor re-runs the transfer checks like in the web UI.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from vendorvet.engine import transfer
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.filtersets import fk_filterset
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.api.serializers import CountryCodeField, TenantPrimaryKeyRelatedField
from vendorvet.web.api.views.common import TenantModelViewSet
from vendorvet.web.core.security import audit
from vendorvet.web.inventory.models import Integration, Vendor
from vendorvet.web.legal import ropa, services
from vendorvet.web.legal.models import (
    Contract,
    DpaItem,
    IntegrationLegal,
    SubProcessor,
    TransferAssessment,
    TransferImpactAssessment,
    TriState,
    VendorLegal,
)


class ServiceSerializer(serializers.ModelSerializer):
    """Creates and updates through ``services.save_object`` (role check and full validation)."""

    def create(self, validated_data):
        return services.save_object(self.Meta.model(**validated_data), creating=True)

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return services.save_object(instance, creating=False)


class VendorLegalSerializer(ServiceSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    parent_country = CountryCodeField(required=False, allow_blank=True)

    class Meta:
        model = VendorLegal
        fields = ["id", "vendor", "parent_company", "parent_country", "dpf_status", "dpf_checked", "canada_pipeda",
                  "last_updated"]


class IntegrationLegalSerializer(ServiceSerializer):
    integration = TenantPrimaryKeyRelatedField(Integration)
    declared_countries = serializers.ListField(child=CountryCodeField(), required=False, max_length=300)
    recorded_countries = serializers.ListField(child=CountryCodeField(), required=False, max_length=300)

    class Meta:
        model = IntegrationLegal
        fields = ["id", "integration", "our_role", "vendor_role", "controller_name", "declared_countries",
                  "recorded_countries", "lawful_basis", "special_basis", "legal_basis", "erasure_period", "security_measures", "last_updated"]


class SubProcessorSerializer(ServiceSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    country = CountryCodeField()
    triggered_assessments = serializers.SerializerMethodField()

    class Meta:
        model = SubProcessor
        fields = ["id", "vendor", "name", "country", "purpose", "dpf_status", "triggered_assessments"]

    def get_triggered_assessments(self, obj) -> list[int]:
        return [a.pk for a in getattr(obj, "_triggered", [])]

    def create(self, validated_data):
        sub, assessments = services.save_sub_processor(SubProcessor(**validated_data))
        sub._triggered = assessments
        return sub

    def update(self, instance, validated_data):  # through the service: a change is a monitoring event
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return services.save_sub_processor(instance)[0]


class ContractSerializer(ServiceSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    notice_deadline = serializers.DateField(read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "vendor", "type", "title", "reference", "signed", "start", "end", "notice_period_days",
                  "notice_deadline", "auto_renewal", "renewal_months", "audit_rights", "remediation_duty",
                  "termination_exit", "liability_cap", "sla_uptime", "rto_hours", "rpo_hours", "notes",
                  "file_name", "has_file"]
        read_only_fields = ["file_name"]

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


class DpaItemSerializer(ServiceSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)

    class Meta:
        model = DpaItem
        fields = ["id", "vendor", "key", "state", "clause", "note"]


class TransferAssessmentSerializer(serializers.ModelSerializer):
    integration = TenantPrimaryKeyRelatedField(Integration)

    class Meta:
        model = TransferAssessment
        fields = ["id", "integration", "created", "trigger", "third_country_transfer", "basis", "scc_module",
                  "tia_required", "onward_scc", "content_version", "inputs", "result", "reasoning_de"]
        read_only_fields = [f for f in fields if f != "integration"]

    def create(self, validated_data):
        try:
            return services.run_assessment(validated_data["integration"])
        except transfer.TransferInputError as exc:
            raise ValidationError({"integration": [str(exc)]}) from exc


class TIASerializer(ServiceSerializer):
    integration = TenantPrimaryKeyRelatedField(Integration)
    assessment = TenantPrimaryKeyRelatedField(TransferAssessment, required=False, allow_null=True)

    class Meta:
        model = TransferImpactAssessment
        fields = ["id", "integration", "assessment", "title", "state", "step1_transfers", "step2_tool",
                  "step3_assessment", "step4_measures", "step5_procedural", "step6_reevaluation", "conclusion",
                  "last_updated"]


VENDOR_ID, INTEGRATION_ID = {"vendor": _("Vendor id.")}, {"integration": _("Integration id.")}


class VendorLegalViewSet(TenantModelViewSet):
    model, serializer_class, ordering = VendorLegal, VendorLegalSerializer, ("vendor__name", "pk")
    filterset_class = fk_filterset(VendorLegal, VENDOR_ID)


class IntegrationLegalViewSet(TenantModelViewSet):
    model, serializer_class, ordering = IntegrationLegal, IntegrationLegalSerializer, ("integration__name", "pk")
    filterset_class = fk_filterset(IntegrationLegal, INTEGRATION_ID)


class SubProcessorViewSet(TenantModelViewSet):
    model, serializer_class, ordering = SubProcessor, SubProcessorSerializer, ("name", "pk")
    filterset_class = fk_filterset(SubProcessor, VENDOR_ID)


class ContractViewSet(TenantModelViewSet):
    model, serializer_class, ordering = Contract, ContractSerializer, ("vendor__name", "title", "pk")
    filterset_class = fk_filterset(Contract, VENDOR_ID)

    def perform_destroy(self, instance):
        name, storage = instance.file.name, instance.file.storage
        super().perform_destroy(instance)
        if name:
            storage.delete(name)


class DpaItemViewSet(TenantModelViewSet):
    model, serializer_class, ordering = DpaItem, DpaItemSerializer, ("vendor__name", "key", "pk")
    filterset_class = fk_filterset(DpaItem, VENDOR_ID)


class TransferAssessmentViewSet(TenantContextMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Stored transfer checks; POST {"integration": id} runs the engine on the recorded facts."""

    serializer_class = TransferAssessmentSerializer
    filterset_class = fk_filterset(TransferAssessment, INTEGRATION_ID)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TransferAssessment.objects.none()
        return TransferAssessment.objects.select_related("integration").order_by("-created", "-pk")


class TIAViewSet(TenantModelViewSet):
    model, serializer_class, ordering = TransferImpactAssessment, TIASerializer, ("-created", "-pk")
    filterset_class = fk_filterset(TransferImpactAssessment, INTEGRATION_ID)


class TransferCheckInputSerializer(serializers.Serializer):
    our_role = serializers.ChoiceField(choices=transfer.OUR_ROLES)
    vendor_role = serializers.ChoiceField(choices=transfer.VENDOR_ROLES)
    vendor_country = serializers.CharField(max_length=2)
    processing_countries = serializers.ListField(child=serializers.CharField(max_length=2), required=False,
                                                 max_length=300)
    parent_country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    dpf = serializers.ChoiceField(choices=TriState.choices, default="unknown")  # = transfer.TRI_STATE
    canada_pipeda = serializers.ChoiceField(choices=TriState.choices, default="unknown")
    data_categories = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                            max_length=20)
    sub_processors = serializers.ListField(child=serializers.CharField(max_length=200), required=False,
                                           max_length=200, help_text=_("Each 'CC' or 'CC:dpf=yes|no|unknown'."))
    language = serializers.ChoiceField(choices=("en", "de"), default="en")


class TransferCheckViewSet(TenantContextMixin, viewsets.ViewSet):
    """The engine without the database — same answer as ``vendorvet transfer-check``."""

    required_permissions = {"create": "view"}

    @extend_schema(request=TransferCheckInputSerializer, responses=OpenApiTypes.OBJECT,
                   summary=_("Check a transfer (stateless)"))
    def create(self, request):
        data = TransferCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            inp = transfer.TransferInput(
                our_role=v["our_role"], vendor_role=v["vendor_role"], vendor_country=v["vendor_country"],
                processing_countries=tuple(v.get("processing_countries", [])),
                parent_country=v.get("parent_country") or None, dpf=v["dpf"], canada_pipeda=v["canada_pipeda"],
                data_categories=tuple(v.get("data_categories", [])),
                sub_processors=tuple(transfer.parse_sub_processor(s) for s in v.get("sub_processors", [])),
            )
            result = transfer.check(inp)
        except transfer.TransferInputError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response(result.to_dict(v["language"]))


class RopaViewSet(TenantContextMixin, viewsets.ViewSet):
    """The record of processing activities as JSON (columns and rows), like the XLSX/CSV export."""

    required_permissions = {"list": "export"}

    @extend_schema(summary=_("Record of processing activities"), responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("view", str, enum=list(ropa.VIEWS)), OpenApiParameter("lang", str, enum=["en", "de"]),
        OpenApiParameter("include", str, enum=list(ropa.FILTERS),
                         description="current (default): without rejected/retired integrations and discovered "
                                     "apps nobody accepted; all: every entry, marked in the status column")])
    def list(self, request):
        view = request.query_params.get("view", "controller")
        language = request.query_params.get("lang", "en")
        include = request.query_params.get("include", "current")
        if view not in ropa.VIEWS or language not in ("en", "de") or include not in ropa.FILTERS:
            raise ValidationError({"non_field_errors": [
                "view must be controller|processor, lang en|de, include current|all"]})
        data = ropa.build(view, language, include)
        audit("export.ropa", request=request, format="json", view=view)
        settings = data.pop("settings")
        data["header"] = {"controller": getattr(settings, "controller", ""),
                          "representative": getattr(settings, "representative", ""),
                          "dpo": getattr(settings, "dpo", "")}
        return Response(data)


ROUTES = ApiRoutes("legal", (
    Resource("vendor-profiles", VendorLegalViewSet, "legal-vendor-profile"),
    Resource("integration-profiles", IntegrationLegalViewSet, "legal-integration-profile"),
    Resource("sub-processors", SubProcessorViewSet, "legal-sub-processor"),
    Resource("contracts", ContractViewSet, "legal-contract"),
    Resource("dpa-items", DpaItemViewSet, "legal-dpa-item"),
    Resource("transfer-assessments", TransferAssessmentViewSet, "legal-transfer-assessment",
             old_paths=("legal/assessments",)),
    Resource("transfer-impact-assessments", TIAViewSet, "legal-tia", old_paths=("legal/tias",)),
    Resource("transfer-check", TransferCheckViewSet, "legal-transfer-check"),
    Resource("ropa", RopaViewSet, "legal-ropa"),
))
