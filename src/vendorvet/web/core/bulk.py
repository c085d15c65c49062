"""Inserting many rows of one tenant-owned model fast, for imports of tens of thousands of rows.

``QuerySet.bulk_create`` prepares every value through the field's whole conversion chain, which costs
more than the database write for wide rows (a 40,000-grant import spent most of its merge there). This
inserts with one ``executemany`` per batch and a converter chosen once per *field*: the backend's own
adapters for date-times and JSON (so SQLite and PostgreSQL store exactly what the ORM would), the raw
value for everything else. It is for plain models only — no save() signals, no primary keys returned,
no multi-table inheritance, and no change history, so it is for models that are not change-logged (checked);
the tenant must be set on every object, and every foreign key must point into that tenant (checked with one
query per foreign key).
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

from vendorvet.web.core.context import TenantScopeError, require_tenant

BATCH = 2000
CHECK_BATCH = 900  # ids per query of the same-tenant check (under every backend's parameter limit)


def _tenant_owned(model) -> bool:
    return hasattr(model, "all_tenants") and any(f.name == "tenant" for f in model._meta.concrete_fields)


def check_tenant_of(model: type[models.Model], objects: list[models.Model], *, fill: bool = True) -> None:
    """Every object belongs to the active tenant (an unset tenant is filled in when ``fill``), and every
    foreign key into a tenant-owned model points at a row of that tenant: one query per foreign key."""
    if not _tenant_owned(model) or not objects:
        return
    tenant = require_tenant()
    for obj in objects:
        if obj.tenant_id is None and fill:
            obj.tenant_id = tenant.pk
        if obj.tenant_id != tenant.pk:
            raise ValueError(f"{model._meta.label}: every object must belong to the active tenant")
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.name == "tenant" or not _tenant_owned(
                field.related_model):
            continue
        ids = {getattr(obj, field.attname) for obj in objects} - {None}
        if not ids:
            continue
        wanted = sorted(ids)
        found: set = set()
        for start in range(0, len(wanted), CHECK_BATCH):
            found.update(field.related_model.all_tenants.filter(
                pk__in=wanted[start:start + CHECK_BATCH], tenant_id=tenant.pk).values_list("pk", flat=True))
        if ids - found:
            raise TenantScopeError(f"{model._meta.label}.{field.name} points into another tenant")


def _converter(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else ops.adapt_datetimefield_value(value)
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if isinstance(field, (models.DecimalField, models.TimeField, models.UUIDField, models.BinaryField,
                          models.FileField)):
        return lambda value: field.get_db_prep_save(value, connection)
    return None  # stored as is (text, integers, booleans, foreign-key ids)


def insert_many(model: type[models.Model], objects: list[models.Model]) -> int:
    """Insert ``objects`` (new, unsaved, of the active tenant) without returning their keys."""
    if not objects:
        return 0
    if getattr(model, "change_logged", True):
        raise ValueError(f"insert_many: {model._meta.label} is change-logged; save() each object so the "
                         "history records it")
    check_tenant_of(model, objects, fill=False)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objects:
                setattr(obj, f.attname, now)
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    plan = [(f.attname, _converter(f)) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH):
            rows = []
            for obj in objects[start:start + BATCH]:
                values = obj.__dict__
                rows.append(tuple(values[name] if convert is None else convert(values[name])
                                  for name, convert in plan))
            cursor.executemany(sql, rows)
    return len(objects)
