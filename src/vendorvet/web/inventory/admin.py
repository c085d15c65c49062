"""Admin for vendors and integrations (installation operators only, see core.admin)."""

from __future__ import annotations

from django.contrib import admin

from vendorvet.web.core.admin import TenantOwnedAdmin, TenantOwnedInline
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor


class ContactInline(TenantOwnedInline):
    model = Contact
    fields = ("name", "role", "email", "phone")


class EndpointInline(TenantOwnedInline):
    model = Endpoint
    fields = ("url", "description")


@admin.register(Vendor)
class VendorAdmin(TenantOwnedAdmin):
    list_display = ("name", "tenant", "country", "website", "last_updated")
    list_filter = ("tenant", "country")
    search_fields = ("name", "website")
    inlines = [ContactInline]


@admin.register(Integration)
class IntegrationAdmin(TenantOwnedAdmin):
    list_display = ("name", "vendor", "tenant", "tier", "status", "department", "last_updated")
    list_filter = ("tenant", "tier", "status", "kind")
    search_fields = ("name", "vendor__name", "department")
    list_select_related = ("tenant", "vendor")
    readonly_fields = ("tier",)
    inlines = [EndpointInline]
