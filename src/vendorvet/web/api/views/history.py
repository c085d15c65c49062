"""The change history, read-only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from vendorvet.web.api import filters
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.serializers import ChangeSerializer
from vendorvet.web.core.models import ObjectChange


@extend_schema_view(
    list=extend_schema(summary=_("List changes"),
                       description=_("Who changed what and when (users, API tokens, CLI, background tasks), "
                                     "with the values before and after, newest first.")),
    retrieve=extend_schema(summary=_("Show a change")),
)
class ChangeViewSet(TenantContextMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ChangeSerializer
    filterset_class = filters.ChangeFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ObjectChange.objects.none()
        return ObjectChange.objects.select_related("changed_object_type", "related_object_type").order_by(
            "-time", "-pk")
