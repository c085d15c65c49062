"""Admin for tenants, memberships and API tokens (installation operators only, see core.admin)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _, ngettext

from vendorvet.web.accounts.models import TOKEN_PREFIX, APIToken, Membership, Tenant
from vendorvet.web.core.admin import TenantOwnedAdmin, admin_actor, in_tenant_as_operator
from vendorvet.web.core.context import acting_as


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role")
    readonly_fields = ("user", "role")
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return Membership.all_tenants.select_related("user")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TenantOwnedAdmin):
    list_display = ("user", "tenant", "role", "created")
    list_filter = ("role", "tenant")
    search_fields = ("user__username", "user__email", "tenant__name")
    list_select_related = ("tenant", "user")
    autocomplete_fields = ("user",)


@admin.register(APIToken)
class APITokenAdmin(TenantOwnedAdmin):
    """Tokens are issued on the web page (the key is shown once there); here they can be inspected and revoked."""

    list_display = ("name", "key_prefix", "user", "tenant", "read_only", "created", "expires", "last_used", "revoked")
    list_filter = ("read_only", "tenant")
    search_fields = ("name", "key_id", "user__username")
    list_select_related = ("tenant", "user")
    form = forms.ModelForm  # read-only view: no tenant chooser; the key hash is never part of any form
    fields = ("name", "key_prefix", "tenant", "user", "read_only", "expires", "revoked", "last_used", "created")
    readonly_fields = fields
    actions = ["revoke_tokens"]

    @admin.display(description=_("key prefix"))
    def key_prefix(self, obj):
        return f"{TOKEN_PREFIX}{obj.key_id}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in queryset.select_related("tenant").filter(revoked__isnull=True):
            with in_tenant_as_operator(request, token.tenant):
                token.revoke()
            count += 1
        self.message_user(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
                          % {"count": count}, messages.SUCCESS)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class OperatorUserAdmin(UserAdmin):
    """Deleting an account removes its memberships and tokens in every tenant: each lands in that tenant's
    change history as the operator's act (a deletion nobody is attributed with is refused)."""

    def delete_model(self, request, obj):
        with transaction.atomic(), acting_as(admin_actor(request)):
            obj.delete()

    def delete_queryset(self, request, queryset):
        with transaction.atomic(), acting_as(admin_actor(request)):
            for obj in queryset:
                obj.delete()
