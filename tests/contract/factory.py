"""One object of every tenant-owned model in a tenant, built from the models' own field definitions.

New models are covered without a new factory: required fields get a plain value of their type (the first choice
where there are choices), foreign keys point at the object built for the target model in the same tenant.
``OVERRIDES`` holds the few values a type alone cannot supply.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from tests.conftest import acting
from vendorvet.web.core.models import NOT_LOGGED, ObjectChange, TenantOwnedModel

OVERRIDES = {
    "accounts.APIToken": {"key_id": "contract01"},
}


def tenant_owned_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if issubclass(m, TenantOwnedModel)]


def _value(field: models.Field, built: dict, user):
    if field.is_relation:
        if field.related_model is get_user_model():
            return user
        return build_one(field.related_model, built, user)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date.today()
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.FileField):
        return ContentFile(b"contract probe", name="probe.txt")
    if isinstance(field, models.URLField) or field.name in {"url", "target"}:
        return "https://contract.example/"
    if field.name == "country":
        return "DE"
    if isinstance(field, (models.CharField, models.TextField)):
        return "contract"[: field.max_length or 100]
    raise TypeError(f"no contract value for {field.model._meta.label}.{field.name}")


def get_user_model():
    from django.contrib.auth import get_user_model as get

    return get()


def build_one(model, built: dict, user):
    """The object of ``model`` in the active tenant (built once per world)."""
    label = model._meta.label
    if label in built:
        return built[label]
    if label == "accounts.Membership":
        built[label] = model.objects.get(user=user)
        return built[label]
    values = dict(OVERRIDES.get(label, {}))
    for field in model._meta.concrete_fields:
        if field.name in NOT_LOGGED or field.name in values or field.primary_key:
            continue
        if field.null or field.has_default() and not field.is_relation:
            continue
        if field.blank and isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            continue
        values[field.name] = _value(field, built, user)
    obj = model(**values)
    obj.save()
    built[label] = obj
    return obj


def build_world(tenant, user) -> dict[str, models.Model]:
    """{model label: its object} for every tenant-owned model, in ``tenant``, saved as ``user``."""
    built: dict[str, models.Model] = {}
    with acting(tenant, user):
        for model in tenant_owned_models():
            build_one(model, built, user)
    built["core.ObjectChange"] = ObjectChange.all_tenants.filter(tenant=tenant).first()  # written by the saves
    return built
