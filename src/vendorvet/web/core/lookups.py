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
        exact = f"EXISTS (SELECT 1 FROM json_each({lhs}) AS je WHERE je.value = %s)"
        value = str(self.rhs)
        quoted = json.dumps(value)
        if quoted != f'"{value}"':  # a value JSON escapes: only the exact test
            return exact, [*lhs_params, value]
        # The stored text is Django's json.dumps of the list, so a list holding the value contains it quoted as is:
        # a cheap text search first skips the rows that cannot hold it (SQLite evaluates AND left to right and
        # stops at the first false), the JSON test decides for the others.
        return f"(instr({lhs}, %s) > 0 AND {exact})", [*lhs_params, quoted, *lhs_params, value]

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
        values = list(self.rhs)
        marks = ", ".join(["%s"] * len(values))
        exact = f"EXISTS (SELECT 1 FROM json_each({lhs}) AS je WHERE je.value IN ({marks}))"
        quoted = [json.dumps(v) for v in values]
        if any(q != f'"{v}"' for q, v in zip(quoted, values)):
            return exact, [*lhs_params, *values]
        # as in Has: the text pre-check only skips rows that cannot hold any of the values
        pre = " OR ".join([f"instr({lhs}, %s) > 0"] * len(values))
        pre_params = [p for q in quoted for p in (*lhs_params, q)]
        return f"(({pre}) AND {exact})", [*pre_params, *lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} ?| %s::text[]", [*lhs_params, list(self.rhs)]
