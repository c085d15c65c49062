"""``field__has=value`` on JSON list fields, on SQLite and PostgreSQL alike.

Django's ``contains`` on JSONField is not supported by SQLite; inventory filters
("data category = personal") need one lookup that works on both databases.
"""

from __future__ import annotations

import json

from django.db.models import JSONField, Lookup


@JSONField.register_lookup
class Has(Lookup):
    lookup_name = "has"
    prepare_rhs = False

    def get_prep_lookup(self):
        return self.rhs

    def process_rhs(self, compiler, connection):
        return "%s", [self.rhs]

    def as_sql(self, compiler, connection):  # pragma: no cover - dispatched per vendor
        raise NotImplementedError(f"'has' lookup is not implemented for {connection.vendor}")

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return _sqlite_holds_any(lhs, lhs_params, [str(self.rhs)])

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([self.rhs])]


@JSONField.register_lookup
class HasAny(Lookup):
    """``field__has_any=[a, b]``: the JSON list holds at least one of the values (one test per row, not one
    per value: PostgreSQL's ``?|`` on the list's strings; on SQLite one pass over the list's elements)."""

    lookup_name = "has_any"
    prepare_rhs = False

    def get_prep_lookup(self):
        values = [str(v) for v in self.rhs]
        if not values:
            raise ValueError("has_any needs at least one value")
        return values

    def process_rhs(self, compiler, connection):
        return "%s", [self.rhs]

    def as_sql(self, compiler, connection):  # pragma: no cover - dispatched per vendor
        raise NotImplementedError(f"'has_any' lookup is not implemented for {connection.vendor}")

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return _sqlite_holds_any(lhs, lhs_params, list(self.rhs))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} ?| %s::text[]", [*lhs_params, list(self.rhs)]


def _sqlite_holds_any(lhs: str, lhs_params: list, values: list[str]) -> tuple[str, list]:
    """SQL that the JSON list ``lhs`` holds one of ``values``. The stored text is Django's ``json.dumps`` of the
    list, so a list holding a value contains it quoted as is: a cheap text search first skips the rows that
    cannot hold any (SQLite evaluates AND left to right and stops at the first false); the JSON test over the
    list's elements decides for the others. Values that JSON escapes get the JSON test alone."""
    marks = ", ".join(["%s"] * len(values))
    exact = f"EXISTS (SELECT 1 FROM json_each({lhs}) AS je WHERE je.value IN ({marks}))"
    quoted = [json.dumps(v) for v in values]
    if any(q != f'"{v}"' for q, v in zip(quoted, values)):
        return exact, [*lhs_params, *values]
    pre = " OR ".join([f"instr({lhs}, %s) > 0"] * len(values))
    pre_params = [p for q in quoted for p in (*lhs_params, q)]
    return f"(({pre}) AND {exact})", [*pre_params, *lhs_params, *values]
