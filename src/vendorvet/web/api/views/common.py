"""The base of every tenant-data API view set."""

from __future__ import annotations

from rest_framework import viewsets

from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.inventory import services


class TenantModelViewSet(TenantContextMixin, viewsets.ModelViewSet):
    """CRUD on a tenant-owned model: scoped queryset, writes and deletes through ``inventory.services``.

    ``model`` is queried through ``model.objects`` on each request (never a queryset built at
    import time); ``filterset_class`` (django-filter, see ``api.filtersets``) filters the list.
    """

    model = None
    ordering: tuple[str, ...] = ("pk",)

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no tenant, nothing is run
            return self.model.objects.none()
        return self.base_queryset().order_by(*self.ordering)

    def perform_destroy(self, instance):
        services.delete_object(instance)
