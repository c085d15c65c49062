"""Pages of long lists: deep pages read the page's keys first.

``OFFSET 7450 LIMIT 50`` over a list sorted by name makes the database sort every matching row — with all its
columns and joins — to hand out fifty. :class:`DeepPagePaginator` asks instead for the keys of the page's rows
(narrow rows, often straight from an index) and then for those rows only, in one statement
(``… WHERE id IN (SELECT id … ORDER BY … LIMIT 50 OFFSET 7450) ORDER BY …``). The page holds the same rows in the
same order; the first pages, where the plain form is cheapest, are read as before.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

DEEP_FROM_ROW = 200  # rows to skip before the keys are read first


class DeepPagePaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom: int, top: int):
        qs = self.object_list
        if (bottom >= DEEP_FROM_ROW and isinstance(qs, QuerySet) and qs.ordered and not qs.query.distinct
                and connections[qs.db].features.allow_sliced_subqueries_with_in):
            # the same rows as the slice below: the inner query is the list's own, with its order and bounds
            return qs.filter(pk__in=qs.values("pk")[bottom:top])
        return qs[bottom:top]
