"""Integrations, vendors, contacts and endpoints."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from vendorvet.web.api import filters
from vendorvet.web.api.serializers import (
    ContactSerializer,
    EndpointSerializer,
    IntegrationSerializer,
    VendorSerializer,
)
from vendorvet.web.api.views.common import TenantModelViewSet
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor


@extend_schema_view(
    list=extend_schema(summary=_("List integrations"),
                       description=_("Filtered and sorted exactly like the inventory list of the web UI. "
                                     "A filter value that is not understood is an error (400).")),
    create=extend_schema(summary=_("Create an integration"),
                         description=_("The tier is computed; `endpoints` sets the base URLs.")),
    retrieve=extend_schema(summary=_("Show an integration")),
    update=extend_schema(summary=_("Replace an integration")),
    partial_update=extend_schema(summary=_("Change fields of an integration"),
                                 description=_("Sending `endpoints` replaces the whole list of base URLs.")),
    destroy=extend_schema(summary=_("Delete an integration"), description=_("Needs the delete permission.")),
)
class IntegrationViewSet(TenantModelViewSet):
    model = Integration
    serializer_class = IntegrationSerializer
    filterset_class = filters.IntegrationFilterSet  # also sorts (``ordering``), with a unique tie-breaker

    def base_queryset(self):
        return Integration.objects.select_related("vendor").prefetch_related(
            Prefetch("endpoints", queryset=Endpoint.objects.order_by("url")))


@extend_schema_view(
    list=extend_schema(summary=_("List vendors")),
    create=extend_schema(summary=_("Create a vendor")),
    retrieve=extend_schema(summary=_("Show a vendor")),
    update=extend_schema(summary=_("Replace a vendor")),
    partial_update=extend_schema(summary=_("Change fields of a vendor")),
    destroy=extend_schema(summary=_("Delete a vendor"),
                          description=_("A vendor that still has integrations cannot be deleted (409).")),
)
class VendorViewSet(TenantModelViewSet):
    model = Vendor
    serializer_class = VendorSerializer
    ordering = ("name", "pk")
    filterset_class = filters.VendorFilterSet

    def base_queryset(self):
        return Vendor.objects.annotate(integration_count=Count("integrations")).prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")))


@extend_schema_view(
    list=extend_schema(summary=_("List vendor contacts")),
    create=extend_schema(summary=_("Create a vendor contact")),
    retrieve=extend_schema(summary=_("Show a vendor contact")),
    update=extend_schema(summary=_("Replace a vendor contact")),
    partial_update=extend_schema(summary=_("Change fields of a vendor contact")),
    destroy=extend_schema(summary=_("Delete a vendor contact")),
)
class ContactViewSet(TenantModelViewSet):
    model = Contact
    serializer_class = ContactSerializer
    ordering = ("name", "pk")
    filterset_class = filters.ContactFilterSet

    def base_queryset(self):
        return Contact.objects.select_related("vendor")


@extend_schema_view(
    list=extend_schema(summary=_("List endpoints"),
                       description=_("Base URLs of integrations — what automated checks scan.")),
    create=extend_schema(summary=_("Create an endpoint")),
    retrieve=extend_schema(summary=_("Show an endpoint")),
    update=extend_schema(summary=_("Replace an endpoint")),
    partial_update=extend_schema(summary=_("Change fields of an endpoint")),
    destroy=extend_schema(summary=_("Delete an endpoint")),
)
class EndpointViewSet(TenantModelViewSet):
    model = Endpoint
    serializer_class = EndpointSerializer
    ordering = ("integration__name", "url", "pk")
    filterset_class = filters.EndpointFilterSet

    def base_queryset(self):
        return Endpoint.objects.select_related("integration")
