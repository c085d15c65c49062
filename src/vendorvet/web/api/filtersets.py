"""django-filter building blocks shared by every API list.

Every list is filtered by a ``FilterSet``; a value a filter does not understand is a 400 with the
parameter's name and a clear message, never silently ignored and never a 500. Ids in particular are
validated before they reach the database: ``?integration=abc`` and ``?integration=99999999999999999999999``
(too large for a 64-bit column — SQLite would raise ``OverflowError``) are both 400.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest value of a 64-bit (BigAutoField) primary key
MAX_SEARCH = 200


ID_MESSAGE = _("Expected an id: a whole number from 1 to 9223372036854775807.")


class IdField(forms.IntegerField):
    """A primary key from a query string: ASCII digits only, 1 … 2⁶³−1."""

    default_error_messages = {"invalid": ID_MESSAGE, "min_value": ID_MESSAGE, "max_value": ID_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not (value.isascii() and value.isdigit()):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if len(value) > 19:  # more digits than any 64-bit id; no int() of a megabyte of digits
                raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return super().to_python(value)


class IdFilter(django_filters.Filter):
    """``?vendor=3``: objects that refer to this id (an id of another tenant simply matches nothing)."""

    field_class = IdField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # documented as an int64 with its label (drf-spectacular reads this like @extend_schema_field)
        schema = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
        if self.label:
            schema["description"] = self.label
        self._spectacular_annotation = {"field": schema}


def parse_id(params, name: str) -> int | None:
    """Validate one id parameter outside a filter set (e.g. ``?against=`` of an action): 400 when malformed."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    field = IdField()
    try:
        return field.clean(raw)
    except forms.ValidationError as exc:
        raise ValidationError({name: list(exc.messages)}) from None


def search(queryset: QuerySet, value: str, *fields: str) -> QuerySet:
    """Case-insensitive substring search over ``fields`` (the ``q`` parameter of many lists)."""
    value = (value or "").strip()[:MAX_SEARCH]
    if not value:
        return queryset
    cond = Q()
    for field in fields:
        cond |= Q(**{f"{field}__icontains": value})
    return queryset.filter(cond)


class SearchFilter(django_filters.CharFilter):
    """``?q=``: search in the given model fields."""

    def __init__(self, *fields: str, **kwargs):
        self.search_fields = fields
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return search(qs, value, *self.search_fields)


class FilterBackend(DjangoFilterBackend):
    """django-filter's DRF backend, applied to lists only.

    Detail views (and actions on one object) are not narrowed by the list's query string, so
    ``/integrations/5/?status=draft`` shows integration 5 like it always did. Malformed values raise
    ``ValidationError`` → 400 with one message per parameter.
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)


def fk_filterset(model, ids: dict, search_fields: tuple[str, ...] = (), search_label=None):
    """A filter set with one ``IdFilter`` per foreign key (``{"vendor": _("Vendor id.")}``), plus ``q``."""
    attrs: dict = {name: IdFilter(field_name=name, label=label) for name, label in ids.items()}
    if search_fields:
        attrs["q"] = SearchFilter(*search_fields, label=search_label)
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), attrs)
