"""Change history pages: per integration, per vendor, and the tenant-wide change log.

Each entry shows when, who (actor label and kind), the action, and a before/after table
of the changed fields with their human labels and display values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import APIToken, Membership
from vendorvet.web.core.context import ACTOR_KINDS
from vendorvet.web.core.models import REDACTED, ObjectChange, TenantOwnedModel
from vendorvet.engine.scoring_review import requirement_name
from vendorvet.web.core.i18n import content_language
from vendorvet.web.core.templatetags.vendorvet_ui import actor_kind_labels
from vendorvet.web.core.registry import registry
from vendorvet.web.core.texts import human, key_label
from vendorvet.web.core.views import PermissionRequiredMixin
from vendorvet.web.inventory.choices import DataCategory, DataSubject, country_name
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor
from vendorvet.web.inventory.views_common import PAGE_SIZE, clean_query

EMPTY = (None, "", [], {})
LIST_LABELS = {
    "data_categories": lambda v: str(dict(DataCategory.choices).get(v, v)),
    "data_subjects": lambda v: str(dict(DataSubject.choices).get(v, v)),
    "processing_countries": lambda v: country_name(v),
}
# fields that store an id people know by another name
NAMED_BY = {
    "requirement_id": lambda v: requirement_name(str(v), content_language()),
}
# object types offered as a filter on the tenant-wide change log
LOGGED_MODELS = {
    "integration": Integration,
    "endpoint": Endpoint,
    "vendor": Vendor,
    "contact": Contact,
    "membership": Membership,
    "apitoken": APIToken,
}
DETAIL_ROUTES = {Integration: "inventory:integration_detail", Vendor: "inventory:vendor_detail"}


@dataclass
class Entry:
    change: ObjectChange
    type_label: str
    actor_kind_label: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    url: str = ""
    object_repr: str = ""


def changes_for(obj: models.Model) -> models.QuerySet[ObjectChange]:
    """An object's own changes plus those of its children (endpoints, contacts)."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return (
        ObjectChange.objects.filter(
            Q(changed_object_type=ct, changed_object_id=obj.pk) | Q(related_object_type=ct, related_object_id=obj.pk)
        )
        .select_related("changed_object_type", "related_object_type")
        .order_by("-time", "-pk")
    )


def _fk_names(changes: list[ObjectChange]) -> dict[tuple[type, Any], str]:
    """Display names of every object a logged foreign key points to, one query per model."""
    wanted: dict[type, set] = defaultdict(set)
    for change in changes:
        model = change.changed_object_type.model_class()
        if model is None:
            continue
        for name, before, after in change.diff:
            try:
                f = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - fields removed since the change was logged
                continue
            if isinstance(f, models.ForeignKey):
                wanted[f.related_model].update(v for v in (before, after) if v is not None)
    names: dict[tuple[type, Any], str] = {}
    for related, ids in wanted.items():
        if issubclass(related, TenantOwnedModel):
            manager = related.objects  # tenant-scoped: never shows another tenant's names
        elif related._meta.label == "auth.User":
            manager = related._default_manager.filter(memberships__in=Membership.objects.all())
        else:
            continue
        for obj in manager.filter(pk__in=ids).distinct():
            names[(related, obj.pk)] = str(obj)
    return names


def _display(f: models.Field | None, value: Any, fk_names: dict) -> str:
    if value in EMPTY:
        return "—"
    if getattr(f, "change_log_secret", False) or (isinstance(value, str) and value.startswith(REDACTED)):
        return _("set (secret, not shown)")  # the history holds a marker, never the value
    if f is None:
        return human(value)
    if isinstance(f, models.ForeignKey):
        return fk_names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return formats.date_format(parsed, "SHORT_DATETIME_FORMAT")
    if isinstance(value, list) and f.name in LIST_LABELS:
        return ", ".join(LIST_LABELS[f.name](v) for v in value)
    if f.name in NAMED_BY:
        return NAMED_BY[f.name](value)
    if isinstance(value, (dt.date, dt.datetime)):
        return formats.localize(value)
    if isinstance(value, str) and f.name not in registry.value_labels:
        return value  # what someone typed, as typed
    return human(value, f.name)  # lists, dicts, bilingual texts, stored codes: as text, never a Python structure


def describe_changes(changes: list[ObjectChange], parent=None) -> list[Entry]:
    """Display entries; ``parent`` is the object whose history is shown (no links back to itself)."""
    fk_names = _fk_names(changes)
    kinds = actor_kind_labels()
    existing = _existing(changes)
    entries = []
    for change in changes:
        model = change.changed_object_type.model_class()
        rows = []
        for name, before, after in change.diff:
            if before in EMPTY and after in EMPTY:
                continue
            try:
                f = model._meta.get_field(name) if model else None
            except Exception:  # noqa: BLE001
                f = None
            own = f is not None and isinstance(getattr(f, "verbose_name", None), Promise)  # else Django made it up
            label = capfirst(str(f.verbose_name) if own else key_label(name))
            rows.append((label, _display(f, before, fk_names), _display(f, after, fk_names)))
        entries.append(Entry(
            change=change,
            type_label=capfirst(str(model._meta.verbose_name)) if model else change.changed_object_type.model,
            actor_kind_label=kinds.get(change.actor_kind, change.actor_kind),
            rows=rows,
            url=_object_url(change, existing, parent),
            object_repr=_repr(model, change),
        ))
    return entries


def _repr(model, change: ObjectChange) -> str:
    """The changed object's name; a model may name it from the logged data in the reader's language
    (``history_repr``: an answer by its requirement, not its id)."""
    named = getattr(model, "history_repr", None)
    data = change.postchange_data or change.prechange_data
    if named is not None and isinstance(data, dict):
        try:
            return named(data)
        except Exception:  # noqa: BLE001 - fields renamed since: the stored name
            pass
    return change.object_repr


def _target(change: ObjectChange) -> tuple[type | None, int | None]:
    model = change.changed_object_type.model_class()
    if model in DETAIL_ROUTES:
        return model, change.changed_object_id
    if change.related_object_type_id:
        parent = change.related_object_type.model_class()
        if parent in DETAIL_ROUTES:
            return parent, change.related_object_id
    return None, None


def _existing(changes: list[ObjectChange]) -> set[tuple[type, int]]:
    wanted: dict[type, set[int]] = defaultdict(set)
    for change in changes:
        model, pk = _target(change)
        if model is not None:
            wanted[model].add(pk)
    found = set()
    for model, ids in wanted.items():
        found.update((model, pk) for pk in model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return found


def _object_url(change: ObjectChange, existing: set, parent=None) -> str:
    """Link to the changed object's page, or its parent's (an endpoint's integration) — but not to ``parent``."""
    model, pk = _target(change)
    if model is None or (model, pk) not in existing:
        return ""
    if parent is not None and model is type(parent) and pk == parent.pk:
        return ""
    return reverse(DETAIL_ROUTES[model], args=[pk])


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class IntegrationHistoryView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        integration = get_object_or_404(Integration.objects.select_related("vendor"), pk=pk)
        page = _page(request, changes_for(integration))
        return render(request, "inventory/object_history.html", {
            "object": integration, "page_obj": page,
            "entries": describe_changes(list(page.object_list), parent=integration),
            "list_url": reverse("inventory:integration_list"), "list_label": _("Integrations"),
        })


class VendorHistoryView(PermissionRequiredMixin, View):
    required_permission = roles.VIEW

    def get(self, request, pk: int):
        vendor = get_object_or_404(Vendor, pk=pk)
        page = _page(request, changes_for(vendor))
        return render(request, "inventory/object_history.html", {
            "object": vendor, "page_obj": page, "entries": describe_changes(list(page.object_list), parent=vendor),
            "list_url": reverse("inventory:vendor_list"), "list_label": _("Vendors"),
        })


class ChangeListView(PermissionRequiredMixin, View):
    """The tenant-wide change log, filterable by object type, actor kind and text."""

    required_permission = roles.VIEW

    def get(self, request):
        qs = ObjectChange.objects.select_related("changed_object_type", "related_object_type").order_by("-time", "-pk")
        obj_type = request.GET.get("type", "")
        if obj_type in LOGGED_MODELS:
            ct = ContentType.objects.get_for_model(LOGGED_MODELS[obj_type], for_concrete_model=True)
            qs = qs.filter(changed_object_type=ct)
        else:
            obj_type = ""
        actor = request.GET.get("actor", "")
        if actor in ACTOR_KINDS:
            qs = qs.filter(actor_kind=actor)
        else:
            actor = ""
        q = (request.GET.get("q") or "").strip()[:100]
        if q:
            qs = qs.filter(Q(object_repr__icontains=q) | Q(actor_label__icontains=q))
        page = _page(request, qs)
        kinds = actor_kind_labels()
        return render(request, "inventory/change_list.html", {
            "page_obj": page,
            "entries": describe_changes(list(page.object_list)),
            "types": [(key, capfirst(str(model._meta.verbose_name))) for key, model in LOGGED_MODELS.items()],
            "actor_kinds": [(k, capfirst(kinds[k])) for k in ACTOR_KINDS],
            "selected_type": obj_type,
            "selected_actor": actor,
            "q": q,
            "query": clean_query(request.GET, ("type", "actor", "q")),
        })
