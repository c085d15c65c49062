"""Inserting many rows of one tenant-owned model fast, for imports of tens of thousands of rows.

``QuerySet.bulk_create`` prepares every value through the field's whole conversion chain, which costs
more than the database write for wide rows (a 40,000-grant import spent most of its merge there). This
inserts with one ``executemany`` per batch and a converter chosen once per *field*: the backend's own
adapters for date-times and JSON (so SQLite and PostgreSQL store exactly what the ORM would), the raw
value for everything else. It is for plain models only — no save() signals, no primary keys returned,
no multi-table inheritance; the tenant must be set on every object (checked).
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

from vendorvet.web.core.context import require_tenant

BATCH = 2000


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
    tenant = require_tenant()
    if any(obj.tenant_id != tenant.pk for obj in objects):
        raise ValueError("insert_many: every object must belong to the active tenant")
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
