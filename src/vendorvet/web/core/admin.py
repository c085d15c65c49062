"""The Django admin: for installation operators (active superusers) only.

Tenant-owned objects are listed across tenants (``all_tenants``, deliberately) and every
admin write runs inside the object's tenant with the operator as the actor, so admin
edits land in the change history like any other change.
"""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.context import Actor, acting_as, use_tenant
from vendorvet.web.core.models import ObjectChange, TenantOwnedModel


def _operator_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _operator_only
admin.site.site_header = _("vendorvet administration")
admin.site.site_title = _("vendorvet administration")
admin.site.index_title = _("Installation administration")


def admin_actor(request) -> Actor:
    return Actor(kind="user", label=f"{request.user.get_username()} (admin)", user=request.user, role="admin")


@contextmanager
def in_tenant_as_operator(request, tenant):
    with use_tenant(tenant), acting_as(admin_actor(request)):
        yield


class TenantOwnedAdminForm(forms.ModelForm):
    """Adds the owning tenant (chosen when adding, fixed afterwards) and keeps links inside it."""

    owner_tenant = forms.ModelChoiceField(label=_("Tenant"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tenant_model = self._meta.model._meta.get_field("tenant").related_model  # accounts.Tenant, not imported
        self.fields["owner_tenant"].queryset = tenant_model._default_manager.all()
        if self.instance.pk:
            self.fields["owner_tenant"].initial = self.instance.tenant_id
            self.fields["owner_tenant"].disabled = True

    def clean(self):
        cleaned = super().clean()
        tenant = cleaned.get("owner_tenant")
        if tenant is None:
            return cleaned
        for field in self._meta.model._meta.concrete_fields:
            value = cleaned.get(field.name)
            if (isinstance(field, models.ForeignKey) and isinstance(value, TenantOwnedModel)
                    and value.tenant_id != tenant.pk):
                self.add_error(field.name, _("This object belongs to another tenant."))
        return cleaned


URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class TenantOwnedAdmin(admin.ModelAdmin):
    form = TenantOwnedAdminForm
    list_select_related = ("tenant",)
    formfield_overrides = URL_FIELDS_HTTPS

    def get_queryset(self, request):
        return self.model.all_tenants.select_related("tenant")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        remote = db_field.related_model
        if isinstance(remote, type) and issubclass(remote, TenantOwnedModel):
            kwargs["queryset"] = remote.all_tenants.select_related("tenant")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _tenant_of(self, obj, form=None):
        if obj.tenant_id:
            return obj.tenant
        return form.cleaned_data["owner_tenant"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic(), in_tenant_as_operator(request, self._tenant_of(obj, form)):
            obj.full_clean(exclude=["tenant"], validate_unique=False)
            obj.save()

    def save_formset(self, request, form, formset, change):
        with transaction.atomic(), in_tenant_as_operator(request, form.instance.tenant):
            formset.save()

    def delete_model(self, request, obj):
        with transaction.atomic(), in_tenant_as_operator(request, obj.tenant):
            obj.delete()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset.select_related("tenant"):
                with in_tenant_as_operator(request, obj.tenant):
                    obj.delete()


class TenantOwnedInline(admin.TabularInline):
    extra = 0
    formfield_overrides = URL_FIELDS_HTTPS

    def get_queryset(self, request):
        return self.model.all_tenants.all()


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """The change history: read-only, append-only."""

    list_display = ("time", "tenant", "action", "changed_object_type", "object_repr", "actor_kind", "actor_label")
    list_filter = ("action", "actor_kind", "changed_object_type", "tenant")
    search_fields = ("object_repr", "actor_label")
    list_select_related = ("tenant", "changed_object_type")
    date_hierarchy = "time"

    def get_queryset(self, request):
        return ObjectChange.all_tenants.all()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
