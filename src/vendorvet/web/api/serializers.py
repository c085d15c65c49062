"""API representations of the inventory, the change history and API tokens.

Writes never call ``Model.save`` directly: they go through ``inventory.services``, which
checks the actor's role and runs ``full_clean``; model validation errors come back as
400 with field errors. Foreign keys are looked up in the active tenant only, so an id
from another tenant is "does not exist" — never a cross-tenant link.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vendorvet.web.accounts.models import TOKEN_PREFIX, APIToken
from vendorvet.web.accounts import tokens as token_rules
from vendorvet.web.api.exceptions import as_drf_validation_error
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory import services
from vendorvet.web.api.schema import token_state_choices
from vendorvet.web.inventory.choices import DataCategory, DataSubject, Tier, country_codes
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor, tier_rules_for, validate_public_url

MAX_LIST_ITEMS = 100


class TenantPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key to a tenant-owned model, resolved through the scoped ``Model.objects`` at request time."""

    def __init__(self, model, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model.objects.none())  # built, never run: tells the schema the model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.all()

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except OverflowError:  # an id too large for the database (SQLite raises instead of matching nothing)
            self.fail("does_not_exist", pk_value=data)


class CountryCodeField(serializers.CharField):
    default_error_messages = {"unknown": _("Unknown country code {value!r}.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).upper()
        if value not in set(country_codes()):
            self.fail("unknown", value=value)
        return value


class EndpointURLListField(serializers.ListField):
    """The integration's endpoint base URLs; writing replaces the set (each change is logged)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.URLField(max_length=500, validators=[validate_public_url]))
        kwargs.setdefault("max_length", MAX_LIST_ITEMS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return [e.url for e in instance.endpoints.all()]


class ServiceModelSerializer(serializers.ModelSerializer):
    """Create and update through ``inventory.services`` (role check + ``full_clean``) in one transaction."""

    #: validated fields that are not model attributes; handed to :meth:`after_save`
    extra_write_fields: tuple[str, ...] = ()
    #: model error keys → serializer field names
    error_field_map: dict[str, str] = {}

    def create(self, validated_data):
        return self._write(self.Meta.model(), validated_data, creating=True)

    def update(self, instance, validated_data):
        return self._write(instance, validated_data, creating=False)

    def _write(self, instance, validated_data, *, creating: bool):
        extra = {k: validated_data.pop(k) for k in self.extra_write_fields if k in validated_data}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            with transaction.atomic():
                services.save_object(instance, creating=creating)
                self.after_save(instance, extra)
        except DjangoValidationError as exc:
            if creating:
                instance.pk = None
            raise as_drf_validation_error(exc, self.error_field_map) from exc
        return instance

    def after_save(self, instance, extra: dict) -> None:
        """Hook for related writes inside the same transaction."""

    def _value(self, attrs: dict, name: str):
        if name in attrs:
            return attrs[name]
        return getattr(self.instance, name, None) if self.instance is not None else None

    def _exclude_self(self, qs):
        return qs.exclude(pk=self.instance.pk) if self.instance is not None else qs


# -- inventory ----------------------------------------------------------------


class TierReasonSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    tier = serializers.ChoiceField(choices=Tier.choices)
    text = serializers.CharField(help_text=_("Why the rule applies, in the request's language (German or English)."))


class IntegrationSerializer(ServiceModelSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    data_categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices),
                                            required=False, max_length=len(DataCategory.values))
    data_subjects = serializers.ListField(child=serializers.ChoiceField(choices=DataSubject.choices),
                                          required=False, max_length=len(DataSubject.values))
    processing_countries = serializers.ListField(child=CountryCodeField(), required=False,
                                                 max_length=MAX_LIST_ITEMS)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False,
                                 max_length=MAX_LIST_ITEMS)
    tier = serializers.ChoiceField(choices=Tier.choices, read_only=True,
                                   help_text=_("Computed from data categories, access, outage impact and size."))
    tier_reasons = serializers.SerializerMethodField()
    endpoints = EndpointURLListField()

    extra_write_fields = ("endpoints",)
    error_field_map = {"url": "endpoints", "integration": "endpoints"}

    class Meta:
        model = Integration
        fields = [
            "id", "vendor", "vendor_name", "name", "kind", "purpose", "business_owner", "department", "status",
            "data_categories", "data_subjects", "approx_users", "approx_records", "processing_countries",
            "access_scope", "outage_impact", "discovery_source", "tier", "tier_reasons", "tags", "notes",
            "endpoints", "granted_scope_risk", "granted_access", "granted_scopes", "granted_publisher", "created",
            "last_updated",
        ]
        # granted_*: the tier factor the discovery import sets from OAuth grants (not writable)
        read_only_fields = ["created", "last_updated", "granted_scope_risk", "granted_access", "granted_scopes",
                            "granted_publisher"]

    @extend_schema_field(TierReasonSerializer(many=True))
    def get_tier_reasons(self, obj: Integration) -> list[dict]:
        language = content_language()
        # The tenant's tier rules are read once per response, not once per row of a list page.
        cache = self.context.setdefault("_tier_rules", {}) if isinstance(self.context, dict) else {}
        if obj.tenant_id not in cache:
            cache[obj.tenant_id] = tier_rules_for(obj.tenant_id)
        return [
            {"rule_id": r.rule_id, "tier": r.tier, "text": r.text.get(language) or r.text.get("en", "")}
            for r in obj.tier_result(cache[obj.tenant_id]).reasons
        ]

    def validate(self, attrs):
        vendor, name = self._value(attrs, "vendor"), self._value(attrs, "name")
        if vendor is not None and name:
            clash = self._exclude_self(Integration.objects.filter(vendor=vendor, name=name))
            if clash.exists():
                raise serializers.ValidationError(
                    {"name": [_("This vendor already has an integration with this name.")]})
        return attrs

    def after_save(self, instance, extra):
        if "endpoints" in extra:
            services.set_endpoints(instance, extra["endpoints"])


class ContactInlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "role", "email", "phone"]
        read_only_fields = fields


class VendorSerializer(ServiceModelSerializer):
    contacts = ContactInlineSerializer(many=True, read_only=True)
    integration_count = serializers.SerializerMethodField()

    class Meta:
        model = Vendor
        fields = [
            "id", "name", "country", "website", "trust_center_url", "status_page_url", "dpa_url",
            "subprocessors_url", "notes", "contacts", "integration_count", "created", "last_updated",
        ]
        read_only_fields = ["created", "last_updated"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_integration_count(self, obj: Vendor) -> int:
        count = getattr(obj, "integration_count", None)
        return obj.integrations.count() if count is None else count

    def validate_country(self, value: str) -> str:
        return (value or "").upper()

    def validate(self, attrs):
        name = self._value(attrs, "name")
        if name and self._exclude_self(Vendor.objects.filter(name=name)).exists():
            raise serializers.ValidationError({"name": [_("A vendor with this name already exists.")]})
        return attrs


class ContactSerializer(ServiceModelSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "vendor", "vendor_name", "name", "role", "email", "phone", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]


class EndpointSerializer(ServiceModelSerializer):
    integration = TenantPrimaryKeyRelatedField(Integration)
    integration_name = serializers.CharField(source="integration.name", read_only=True)

    class Meta:
        model = Endpoint
        fields = ["id", "integration", "integration_name", "url", "description", "created", "last_updated"]
        read_only_fields = ["created", "last_updated"]

    def validate(self, attrs):
        integration, url = self._value(attrs, "integration"), self._value(attrs, "url")
        if integration is not None and url:
            if self._exclude_self(Endpoint.objects.filter(integration=integration, url=url)).exists():
                raise serializers.ValidationError({"url": [_("The integration already has this endpoint.")]})
        return attrs


# -- change history -----------------------------------------------------------


class DiffEntrySerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


def _type_label(ct) -> str | None:
    return f"{ct.app_label}.{ct.model}" if ct is not None else None


class ChangeSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(source="changed_object_id", read_only=True)
    related_object_type = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()

    class Meta:
        model = ObjectChange
        fields = [
            "id", "time", "action", "actor_kind", "actor_label", "token", "request_id", "object_type",
            "object_id", "object_repr", "related_object_type", "related_object_id", "prechange_data",
            "postchange_data", "diff",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_object_type(self, obj: ObjectChange) -> str:
        return _type_label(obj.changed_object_type)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_related_object_type(self, obj: ObjectChange) -> str | None:
        return _type_label(obj.related_object_type) if obj.related_object_type_id else None

    @extend_schema_field(DiffEntrySerializer(many=True))
    def get_diff(self, obj: ObjectChange) -> list[dict]:
        return [{"field": f, "before": before, "after": after} for f, before, after in obj.diff]


# -- accounts -------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    prefix = serializers.SerializerMethodField(help_text=_("The public start of the key, to recognise it."))
    state = serializers.SerializerMethodField()

    class Meta:
        model = APIToken
        fields = ["id", "name", "user", "prefix", "read_only", "created", "expires", "revoked", "last_used",
                  "state"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_prefix(self, obj: APIToken) -> str:
        return f"{TOKEN_PREFIX}{obj.key_id}"

    @extend_schema_field(serializers.ChoiceField(choices=token_state_choices()))
    def get_state(self, obj: APIToken) -> str:
        return token_rules.token_state(obj)


class NewTokenSerializer(TokenSerializer):
    key = serializers.SerializerMethodField(
        help_text=_("The secret key. It is shown only in this response and cannot be retrieved later."))

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_key(self, obj: APIToken) -> str:
        return self.context["key"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=token_rules.NAME_MAX_LENGTH)
    days = serializers.IntegerField(min_value=1, max_value=token_rules.MAX_DAYS, default=token_rules.DEFAULT_DAYS,
                                    help_text=_("Days until the token expires."))
    read_only = serializers.BooleanField(default=False)


class MeTenantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class MeTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    read_only = serializers.BooleanField()
    expires = serializers.DateTimeField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    tenant = MeTenantSerializer()
    role = serializers.CharField()
    permissions = serializers.ListField(child=serializers.CharField())
    authentication = serializers.ChoiceField(choices=["token", "session"])
    token = MeTokenSerializer(allow_null=True)
