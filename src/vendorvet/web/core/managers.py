"""Tenant scoping by construction, and no write that bypasses the change history.

``Model.objects`` on every tenant-owned model filters by the active tenant. With no
tenant active it returns a queryset that refuses to run (it may still be *built*,
so form classes can be declared at import time), never an unfiltered one — also
when it is used inside another query (``filter(vendor__in=Vendor.objects.all())``,
``Subquery``, ``Exists``): its SQL cannot be compiled.
Cross-tenant work (installation admin, migrations of data, token lookup) must name
``Model.all_tenants`` explicitly, which makes it visible in review.

Writes on change-logged models go through ``save()``/``delete()`` (logged by the
signal receivers in ``core.changelog``, cascades included). The queryset shortcuts
that would skip the history are logged or refused on them: ``update()`` writes one
history entry per changed row (``update_logged``), ``update_untracked()`` is the named
way for background bookkeeping that is not history (leases, task ids), ``bulk_create``
logs one entry per new row, and ``bulk_update`` of logged fields is refused with an
error naming the alternatives (``core.bulk.insert_many`` is the fast insert for models
that are not change-logged).
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import sql

from vendorvet.web.core.context import TenantScopeError, current_actor, current_tenant, deleting_tenant, require_actor


class UnloggedWriteError(RuntimeError):
    """A queryset shortcut would change logged fields of a change-logged model without a history entry."""


def _refuse(*_args, **_kwargs):
    raise TenantScopeError(
        "query on a tenant-owned model with no active tenant; enter use_tenant(...) "
        "or use Model.all_tenants for deliberate cross-tenant work"
    )


class RefusingQuery(sql.Query):
    """The query of a queryset built with no tenant active: it can be refined, never turned into SQL.

    Compiling is the one step every way of running a query shares — on its own or as a subquery of
    another (``__in``, ``Subquery``, ``Exists``, ``union``) — so refusing here leaves no way around.
    """

    def get_compiler(self, *args, **kwargs):
        _refuse()


class UnscopedQuerySet(models.QuerySet):
    """Built when no tenant was active: every way of running it raises."""

    _fetch_all = _refuse
    count = _refuse
    exists = _refuse
    iterator = _refuse
    aggregate = _refuse
    update = _refuse
    delete = _refuse
    in_bulk = _refuse
    explain = _refuse
    contains = _refuse
    _raw_delete = _refuse
    update_logged = _refuse
    update_untracked = _refuse

    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model=model, query=query or RefusingQuery(model), using=using, hints=hints)

    def resolve_expression(self, *args, **kwargs):
        _refuse()

    def bulk_create(self, *args, **kwargs):
        _refuse()

    def bulk_update(self, *args, **kwargs):
        _refuse()


def _is_change_logged(model) -> bool:
    """A tenant-owned model whose changes the history records (the history itself is not one)."""
    return hasattr(model, "logged_field_names") and bool(getattr(model, "change_logged", True))


def _logged_fields(model, names) -> list[str]:
    """Those of ``names`` (field names or attnames) that the change history records for ``model``."""
    logged = set(model.logged_field_names())
    return [field.name for field in map(model._meta.get_field, names) if field.name in logged]


class TenantQuerySet(models.QuerySet):
    def _logged_in(self, names) -> list[str]:
        return _logged_fields(self.model, names) if _is_change_logged(self.model) else []

    def update(self, **kwargs):
        """A plain update where nothing logged changes (models that are not change-logged, fields the history
        excludes); otherwise :meth:`update_logged` — also for the ``SET_NULL`` updates of a deletion's cascade."""
        logged = self._logged_in(kwargs)
        if logged and current_actor() is None and deleting_tenant():
            return super().update(**kwargs)  # the tenant's rows and history go with it: nothing to record
        if logged and current_actor() is None:
            raise UnloggedWriteError(
                f"QuerySet.update() on {self.model._meta.label} changes {', '.join(logged)}, which the change "
                "history records, with no actor to attribute it to; enter acting_as(...), or use "
                ".update_untracked(...) for background bookkeeping that is not part of the object's history"
            )
        if logged:
            return self.update_logged(**kwargs)
        return super().update(**kwargs)

    update.alters_data = True

    def update_logged(self, **kwargs) -> int:
        """``update()`` with one history entry per changed row (before/after), attributed to the active actor."""
        require_actor()
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            # locked by primary key alone: no joins of the original queryset on the nullable side of FOR UPDATE
            rows = {obj.pk: obj for obj in self.model.all_tenants.select_for_update().filter(pk__in=pks)}
            if not rows:
                return 0
            # the original conditions again: a compare-and-swap stays one (rows that no longer match stay as
            # they are, and an unchanged row gets no entry)
            count = self.filter(pk__in=list(rows)).update_untracked(**kwargs)
            for after in self.model.all_tenants.filter(pk__in=list(rows)):
                after.log_change("update", rows[after.pk].change_snapshot(), after.change_snapshot())
        return count

    update_logged.alters_data = True

    def update_untracked(self, **kwargs) -> int:
        """A plain SQL ``update()`` that deliberately leaves no history entry (lease renewals, task ids,
        counters): the name makes the choice visible in review."""
        return super().update(**kwargs)

    update_untracked.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        logged = self._logged_in(fields)
        if logged:
            raise UnloggedWriteError(
                f"bulk_update() on {self.model._meta.label} would change {', '.join(logged)} without entries in "
                "the change history; save() each object or use .update_logged(...)"
            )
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        """Tenant and same-tenant references checked; on change-logged models one history entry per new row
        (written in one more insert), so conflicts may not be ignored there (the new keys must come back)."""
        from vendorvet.web.core.bulk import check_tenant_of

        objs = list(objs)
        check_tenant_of(self.model, objs)
        if not _is_change_logged(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise UnloggedWriteError(f"bulk_create() on {self.model._meta.label} with ignored or updated "
                                     "conflicts cannot be logged; save() each object")
        actor = require_actor()
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            entries = [obj.change_entry("create", None, obj.change_snapshot(), actor) for obj in created]
            if any(obj.pk is None for obj in created):
                raise UnloggedWriteError(f"bulk_create() on {self.model._meta.label}: the database returned no "
                                         "keys, so the new rows cannot be logged; save() each object")
            entries = [entry for entry in entries if entry is not None]
            if entries:
                type(entries[0]).all_tenants.bulk_create(entries)
        return created

    def delete(self):
        """Delete one by one so every deletion (and what it cascades to) lands in the change history."""
        count = 0
        for obj in self:
            obj.delete()
            count += 1
        return count, {self.model._meta.label: count}

    delete.queryset_only = True


class TenantScopedManager(models.Manager.from_queryset(TenantQuerySet)):
    def get_queryset(self):
        tenant = current_tenant()
        if tenant is None:
            return UnscopedQuerySet(model=self.model, using=self._db)
        return super().get_queryset().filter(tenant=tenant)


class AllTenantsManager(models.Manager.from_queryset(TenantQuerySet)):
    """Explicit, reviewable cross-tenant access."""

