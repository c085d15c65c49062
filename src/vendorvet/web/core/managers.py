"""Tenant scoping by construction.

``Model.objects`` on every tenant-owned model filters by the active tenant. With no
tenant active it returns a queryset that refuses to run (it may still be *built*,
so form classes can be declared at import time), never an unfiltered one.
Cross-tenant work (installation admin, migrations of data, token lookup) must name
``Model.all_tenants`` explicitly, which makes it visible in review.
"""

from __future__ import annotations

from django.db import models

from vendorvet.web.core.context import TenantScopeError, current_tenant


def _refuse(*_args, **_kwargs):
    raise TenantScopeError(
        "query on a tenant-owned model with no active tenant; enter use_tenant(...) "
        "or use Model.all_tenants for deliberate cross-tenant work"
    )


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

    def bulk_create(self, *args, **kwargs):
        _refuse()

    def bulk_update(self, *args, **kwargs):
        _refuse()


class TenantQuerySet(models.QuerySet):
    def delete(self):
        """Delete one by one so every deletion lands in the change history."""
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
