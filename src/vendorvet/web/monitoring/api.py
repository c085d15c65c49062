"""REST API: monitoring events (list, show, acknowledge / snooze / resolve) and alert rules."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import flatten_choices_dict, to_choices_dict
from rest_framework.response import Response

from vendorvet.web.accounts import roles
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.core.events import kind_choices
from vendorvet.web.core.registry import registry
from vendorvet.web.monitoring import channels
from vendorvet.web.api.filtersets import IdFilter
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.monitoring import services
from vendorvet.web.monitoring.alerts import ensure_default_rules
from vendorvet.web.monitoring.forms import AlertRuleForm
from vendorvet.web.monitoring.models import AlertRule, EventState, MonitoringEvent, Severity
from vendorvet.web.monitoring.views import filtered_events


class _RegistryChoiceField(serializers.ChoiceField):
    """A choice field whose choices are read from a registry whenever they are used (validation and the
    schema alike), so a kind or channel registered later is accepted and documented."""

    def __init__(self, choices_of, **kwargs):
        self._choices_of = choices_of
        super().__init__(choices=(), **kwargs)

    def _current(self):
        self.grouped_choices = to_choices_dict(self._choices_of())
        self._choices = flatten_choices_dict(self.grouped_choices)
        self.choice_strings_to_values = {str(key): key for key in self._choices}
        return self._choices

    def _ignore(self, choices):  # the registry is the source
        pass

    choices = property(_current, _ignore)

    def to_internal_value(self, data):
        self._current()
        return super().to_internal_value(data)

    def to_representation(self, value):
        self._current()
        return super().to_representation(value)


class EventSerializer(serializers.ModelSerializer):
    # in the request's language (Accept-Language, or the language the user chose in the web UI)
    kind = _RegistryChoiceField(kind_choices, read_only=True)  # documented with the registered kinds
    title = serializers.CharField(source="shown_title", read_only=True)
    detail = serializers.CharField(source="shown_detail", read_only=True)
    action = serializers.CharField(source="shown_action", read_only=True)
    integration_name = serializers.CharField(source="integration.name", read_only=True, default=None)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True, default=None)

    class Meta:
        model = MonitoringEvent
        fields = ["id", "kind", "severity", "title", "detail", "action", "before", "after", "integration",
                  "integration_name", "vendor", "vendor_name", "run", "first_seen", "last_seen", "occurrences",
                  "state", "snoozed_until", "state_changed_by"]
        read_only_fields = fields


class StateSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=services.MAX_SNOOZE_DAYS, required=False)


class RuleSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(child=_RegistryChoiceField(kind_choices), required=False)
    channel = _RegistryChoiceField(channels.choices, required=False)

    # the URL (of a webhook, Slack or Teams channel) and the signing secret are write-only: answered as set/not set
    url_set = serializers.SerializerMethodField()
    secret_set = serializers.SerializerMethodField()

    class Meta:
        model = AlertRule
        fields = ["id", "name", "enabled", "channel", "min_severity", "kinds", "recipients", "digest", "url",
                  "url_set", "secret", "secret_set", "language"]
        extra_kwargs = {"secret": {"write_only": True}, "url": {"write_only": True}}

    def get_url_set(self, rule) -> bool:
        return bool(rule.url)

    def get_secret_set(self, rule) -> bool:
        return bool(rule.secret)

    def validate(self, attrs):
        from vendorvet.web.monitoring.channels.webhook import private_allowed

        data = {**({f: getattr(self.instance, f) for f in self.Meta.fields
                    if f not in ("id", "url_set", "secret_set")} if self.instance else {}),
                **attrs}
        form = AlertRuleForm({k: v for k, v in data.items() if v is not None and v is not False},
                             instance=self.instance, allow_private=private_allowed())
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return attrs


class _RegisteredKinds(list):
    """The registered event kinds, read when the schema is generated (not when this module is imported)."""

    def __iter__(self):
        return iter(list(registry.event_kinds))

    def __len__(self):
        return len(registry.event_kinds)

    def __bool__(self):
        return True


class EventFilterSet(django_filters.FilterSet):
    """Validates the query string, then filters exactly like the web UI's event list (``filtered_events``)."""

    state = django_filters.ChoiceFilter(choices=lambda: [("active", "active"), *EventState.choices],
                                        label=_("Default: active (open and acknowledged)"))
    kind = django_filters.ChoiceFilter(choices=kind_choices, label=_("A registered kind of event"))
    severity = django_filters.ChoiceFilter(choices=lambda: Severity.choices)
    integration = IdFilter(label=_("Integration id."))
    since = django_filters.DateFilter(label=_("Last seen on or after this day (YYYY-MM-DD)"), method="_keep")
    until = django_filters.DateFilter(label=_("Last seen on or before this day (YYYY-MM-DD)"), method="_keep")
    q = django_filters.CharFilter(label=_("Text in the title, what changed, integration or vendor"), method="_keep")

    class Meta:
        model = MonitoringEvent
        fields: list[str] = []

    def filter_queryset(self, queryset):
        d = self.form.cleaned_data
        params = {"state": d.get("state") or "active", "kind": d.get("kind") or "",
                  "severity": d.get("severity") or "", "integration": str(d.get("integration") or ""),
                  "since": d["since"].isoformat() if d.get("since") else "",
                  "until": d["until"].isoformat() if d.get("until") else "", "q": d.get("q") or ""}
        return filtered_events(params)[0]

    def _keep(self, queryset, name, value):  # applied in filter_queryset, with the web list's rules
        return queryset


class BulkSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                max_length=services.MAX_BULK)
    action = serializers.ChoiceField(choices=services.BULK_ACTIONS)
    days = serializers.IntegerField(min_value=1, max_value=services.MAX_SNOOZE_DAYS, required=False)


class BulkResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(summary=_("List monitoring events"), parameters=[
        OpenApiParameter("state", str, enum=["active", *EventState.values],
                         description=_("Default: active (open and acknowledged)")),
        OpenApiParameter("kind", str, enum=_RegisteredKinds(), description=_("A registered kind of event")),
        OpenApiParameter("severity", str, enum=Severity.values)]),
    retrieve=extend_schema(summary=_("Show a monitoring event")),
)
class EventViewSet(TenantContextMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    required_permissions = {"acknowledge": roles.CHANGE, "snooze": roles.CHANGE, "resolve": roles.CHANGE,
                            "reopen": roles.CHANGE, "bulk": roles.CHANGE}

    @extend_schema(summary=_("Acknowledge, snooze or resolve several events"), request=BulkSerializer,
                   responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        body = BulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            changed = services.bulk_change_state(data["ids"], data["action"], days=data.get("days"))
        except services.ActionError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response({"changed": changed}, status=status.HTTP_200_OK)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MonitoringEvent.objects.none()
        return MonitoringEvent.objects.select_related("integration", "vendor").order_by("-last_seen", "-pk")

    def _act(self, request, name):
        event = self.get_object()
        body = StateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.change_state(event, name, days=body.validated_data.get("days"))
        except services.ActionError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(EventSerializer(event).data, status=status.HTTP_200_OK)

    @extend_schema(summary=_("Acknowledge an event"), request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._act(request, "acknowledge")

    @extend_schema(summary=_("Snooze an event for some days"), request=StateSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk=None):
        return self._act(request, "snooze")

    @extend_schema(summary=_("Resolve an event"), request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(request, "resolve")

    @extend_schema(summary=_("Reopen an event"), request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(request, "reopen")


@extend_schema_view(
    list=extend_schema(summary=_("List alert rules")), retrieve=extend_schema(summary=_("Show an alert rule")),
    create=extend_schema(summary=_("Create an alert rule")), update=extend_schema(summary=_("Change an alert rule")),
    partial_update=extend_schema(summary=_("Change an alert rule")),
    destroy=extend_schema(summary=_("Delete an alert rule")),
)
class RuleViewSet(TenantContextMixin, viewsets.ModelViewSet):
    """Alert rules: administrators only (reading them too — they hold recipients and webhook URLs)."""

    serializer_class = RuleSerializer
    required_permissions = {a: services.ADMIN_PERMISSION for a in
                            ("list", "retrieve", "create", "update", "partial_update", "destroy")}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AlertRule.objects.none()
        if self.action == "list":
            ensure_default_rules()
        return AlertRule.objects.order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.save_rule(AlertRule(**serializer.validated_data))

    def perform_update(self, serializer):
        rule = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(rule, key, value)
        services.save_rule(rule)

    def perform_destroy(self, instance):
        services.delete_rule(instance)


ROUTES = ApiRoutes("monitoring", (
    Resource("events", EventViewSet, "monitoring-event", old_paths=("monitoring-events",)),
    Resource("alert-rules", RuleViewSet, "monitoring-alert-rule", old_paths=("alert-rules",)),
))
