"""Filter sets of the inventory lists and the change history (django-filter).

Integrations are filtered exactly like the web UI: the filter set validates the query string and
then hands the values to ``inventory.queries`` (the one implementation for web UI, API and CLI export).
Unlike the UI, a value the filter does not understand is a 400, never silently ignored — an API
client that mistypes ``status=aproved`` must not get every integration back.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from vendorvet.web.api.filtersets import IdFilter, SearchFilter, fk_filterset
from vendorvet.web.core.context import ACTOR_KINDS
from vendorvet.web.core.models import ObjectChange, TenantOwnedModel
from vendorvet.web.core.registry import registry
from vendorvet.web.inventory import queries
from vendorvet.web.inventory.choices import DataCategory, Kind, Status, Tier
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor

SORT_CHOICES = [(key, key) for key in queries.SORTS]
FACET_HELP = _("A named filter another part of vendorvet contributes, the one each dashboard figure links to "
               "(the count of the list equals the figure).")


class FacetField(forms.CharField):
    """A key of ``registry.integration_facets``: read when a request comes in (the apps fill the registry in
    ``ready()``), so a facet registered by any app is accepted and an unknown one is a 400 naming the known
    ones."""

    default_error_messages = {"unknown": _("Unknown facet %(value)s. Known facets: %(known)s.")}

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if value and value not in registry.integration_facets:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={
                "value": repr(value[:60]), "known": ", ".join(sorted(registry.integration_facets))})
        return value


class FacetFilter(django_filters.CharFilter):
    """``?facet=legal.personal_no_dpa`` — applied in ``IntegrationFilterSet.filter_queryset`` with the web list's
    code; documented with the facets registered when the schema is generated (an enum plus key: label)."""

    field_class = FacetField

    @property
    def _spectacular_annotation(self):  # read by drf-spectacular at schema time, after every ready()
        facets = sorted(registry.integration_facets.items())
        lines = "\n".join(f"* `{key}` — {facet.label}" for key, facet in facets)
        return {"field": {"type": "string", "enum": [key for key, _facet in facets],
                          "description": f"{FACET_HELP}\n\n{lines}"}}


class IntegrationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search in name, vendor, purpose, department and business owner."))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status of the integration."))
    tier = django_filters.TypedChoiceFilter(choices=Tier.choices, coerce=int,
                                            label=_("Criticality tier (1 critical … 4 low)."))
    data_category = django_filters.ChoiceFilter(choices=DataCategory.choices,
                                                label=_("Integrations that process this data category."))
    department = django_filters.CharFilter(label=_("Exact department name."))
    vendor = IdFilter(label=_("Vendor id."))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind of integration."))
    facet = FacetFilter(label=FACET_HELP)
    ordering = django_filters.ChoiceFilter(choices=SORT_CHOICES,
                                           label=_("Sort order; a leading '-' reverses it. Default: name."))

    class Meta:
        model = Integration
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # the web UI's ``sort`` is accepted as a synonym of ``ordering``
        if data is not None and data.get("sort") and not data.get("ordering"):
            data = data.copy()
            data["ordering"] = data["sort"]
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        d = self.form.cleaned_data
        f = queries.IntegrationFilter(
            q=(d.get("q") or "").strip()[:200], status=d.get("status") or "", tier=d.get("tier") or None,
            data_category=d.get("data_category") or "", department=(d.get("department") or "").strip()[:100],
            vendor=d.get("vendor"), kind=d.get("kind") or "", facet=d.get("facet") or "",
            sort=d.get("ordering") or queries.DEFAULT_SORT)
        return queries.filter_integrations(queryset, f)


class VendorFilterSet(django_filters.FilterSet):
    q = SearchFilter("name", "website", label=_("Search in the vendor's name and website."))
    country = django_filters.CharFilter(method="by_country", max_length=2,
                                        label=_("ISO 3166-1 alpha-2 country of establishment, e.g. DE or US."))

    class Meta:
        model = Vendor
        fields: list[str] = []

    def by_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())


ContactFilterSet = fk_filterset(Contact, {"vendor": _("Vendor id.")}, ("name", "role", "email"),
                                _("Search in name, role and e-mail."))
EndpointFilterSet = fk_filterset(Endpoint, {"integration": _("Integration id.")})


class ChangeFilterSet(django_filters.FilterSet):
    object_type = django_filters.CharFilter(
        method="noop", max_length=120,
        label=_("Type as app_label.model, e.g. inventory.integration, inventory.vendor, inventory.endpoint, "
                "inventory.contact, accounts.apitoken."))
    object_id = IdFilter(method="noop", label=_(
        "Id of the object (needs object_type). Like the history page of the web UI, changes of the object's "
        "children (an integration's endpoints, a vendor's contacts) are included unless include_related=false."))
    include_related = django_filters.BooleanFilter(
        method="noop", widget=forms.TextInput, label=_("Include changes of the object's children (default true)."))
    actor_kind = django_filters.ChoiceFilter(choices=[(k, k) for k in ACTOR_KINDS], label=_("Who made the change."))

    class Meta:
        model = ObjectChange
        fields: list[str] = []

    def noop(self, queryset, name, value):
        return queryset  # combined in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        d = self.form.cleaned_data
        label, object_id = (d.get("object_type") or "").strip(), d.get("object_id")
        include_related = (self.data.get("include_related") or "true").strip().lower() not in ("false", "0", "no")
        if object_id is not None and not label:
            raise ValidationError({"object_type": [_("Name the object type together with object_id.")]})
        if label:
            ct = _content_type(label)
            if object_id is None:
                queryset = queryset.filter(changed_object_type=ct)
            else:
                cond = Q(changed_object_type=ct, changed_object_id=object_id)
                if include_related:
                    cond |= Q(related_object_type=ct, related_object_id=object_id)
                queryset = queryset.filter(cond)
        return queryset


def _content_type(label: str) -> ContentType:
    app_label, _dot, model = label.strip().lower().partition(".")
    try:
        ct = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        ct = None
    model = ct.model_class() if ct is not None else None
    if model is None or not issubclass(model, TenantOwnedModel):
        raise ValidationError({"object_type": [_("Unknown object type %(type)r.") % {"type": label[:60]}]})
    return ct
