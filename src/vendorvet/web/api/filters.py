"""Query-string filters of the API and their OpenAPI description.

Integrations are filtered exactly like the web UI (``inventory.queries``); unlike the
UI, a value the filter does not understand is a 400, never silently ignored — an API
client that mistypes ``status=aproved`` must not get every integration back.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from vendorvet.web.core.context import ACTOR_KINDS
from vendorvet.web.core.models import ObjectChange, TenantOwnedModel
from vendorvet.web.inventory import queries
from vendorvet.web.inventory.choices import DataCategory, Kind, Status, Tier
from vendorvet.web.inventory.models import Integration

def _param(name, type_=str, description="", enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description,
                            enum=enum)


INTEGRATION_PARAMETERS = [
    _param("q", description=_("Search in name, vendor, purpose, department and business owner.")),
    _param("status", enum=list(Status.values), description=_("Status of the integration.")),
    _param("tier", int, enum=list(Tier.values), description=_("Criticality tier (1 critical … 4 low).")),
    _param("data_category", enum=list(DataCategory.values),
           description=_("Integrations that process this data category.")),
    _param("department", description=_("Exact department name.")),
    _param("vendor", int, description=_("Vendor id.")),
    _param("kind", enum=list(Kind.values), description=_("Kind of integration.")),
    _param("ordering", enum=list(queries.SORTS), description=_("Sort order; a leading '-' reverses it. "
                                                               "Default: name.")),
]


def integration_filter(params) -> queries.IntegrationFilter:
    """Parse like the web UI, then reject what the lenient parser would have dropped."""
    f = queries.IntegrationFilter.from_params(params)
    checks = {
        "status": f.status, "tier": f.tier, "data_category": f.data_category, "vendor": f.vendor,
        "kind": f.kind,
    }
    errors = {}
    for name, parsed in checks.items():
        raw = (params.get(name) or "").strip()
        if raw and not parsed:
            errors[name] = [_("Unknown value %(value)r.") % {"value": raw[:50]}]
    ordering = (params.get("ordering") or params.get("sort") or "").strip()
    if ordering and ordering not in queries.SORTS:
        errors["ordering"] = [_("Sort by one of: %(keys)s.") % {"keys": ", ".join(queries.SORTS)}]
    if errors:
        raise ValidationError(errors)
    return f


def filter_integration_queryset(qs: QuerySet[Integration], params) -> QuerySet[Integration]:
    return queries.filter_integrations(qs, integration_filter(params))


def _positive_int(params, name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({name: [_("Expected a positive whole number.")]})
    return int(raw)


def by_foreign_key(qs: QuerySet, params, name: str) -> QuerySet:
    """``?vendor=3`` style filters (ids outside the tenant simply match nothing)."""
    value = _positive_int(params, name)
    return qs if value is None else qs.filter(**{f"{name}_id": value})


def by_search(qs: QuerySet, params, *fields: str) -> QuerySet:
    q = (params.get("q") or "").strip()[:200]
    if not q:
        return qs
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__icontains": q})
    return qs.filter(cond)


def id_parameter(name: str, description) -> OpenApiParameter:
    return _param(name, int, description=description)


def search_parameter(description) -> OpenApiParameter:
    return _param("q", description=description)


VENDOR_PARAMETERS = [
    search_parameter(_("Search in the vendor's name and website.")),
    _param("country", description=_("ISO 3166-1 alpha-2 country of establishment, e.g. DE or US.")),
]
CONTACT_PARAMETERS = [id_parameter("vendor", _("Vendor id.")), search_parameter(_("Search in name, role and e-mail."))]
ENDPOINT_PARAMETERS = [id_parameter("integration", _("Integration id."))]

CHANGE_PARAMETERS = [
    _param("object_type", description=_("Type as app_label.model, e.g. inventory.integration, inventory.vendor, "
                                        "inventory.endpoint, inventory.contact, accounts.apitoken.")),
    id_parameter("object_id", _("Id of the object (needs object_type). Like the history page of the web UI, "
                                "changes of the object's children (an integration's endpoints, a vendor's "
                                "contacts) are included unless include_related=false.")),
    _param("include_related", bool, description=_("Include changes of the object's children (default true).")),
    _param("actor_kind", enum=list(ACTOR_KINDS), description=_("Who made the change.")),
]


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


def filter_changes(qs: QuerySet[ObjectChange], params) -> QuerySet[ObjectChange]:
    label = (params.get("object_type") or "").strip()
    object_id = _positive_int(params, "object_id")
    include_related = (params.get("include_related") or "true").strip().lower() not in ("false", "0", "no")
    if object_id is not None and not label:
        raise ValidationError({"object_type": [_("Name the object type together with object_id.")]})
    if label:
        ct = _content_type(label)
        if object_id is None:
            qs = qs.filter(changed_object_type=ct)
        else:
            cond = Q(changed_object_type=ct, changed_object_id=object_id)
            if include_related:
                cond |= Q(related_object_type=ct, related_object_id=object_id)
            qs = qs.filter(cond)
    kind = (params.get("actor_kind") or "").strip()
    if kind:
        if kind not in ACTOR_KINDS:
            raise ValidationError({"actor_kind": [_("One of: %(kinds)s.") % {"kinds": ", ".join(ACTOR_KINDS)}]})
        qs = qs.filter(actor_kind=kind)
    return qs
