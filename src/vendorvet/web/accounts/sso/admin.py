from django.contrib import admin

from vendorvet.web.accounts.sso.forms import SsoProviderForm
from vendorvet.web.accounts.sso.models import SsoIdentity, SsoProvider


@admin.register(SsoProvider)
class SsoProviderAdmin(admin.ModelAdmin):
    form = SsoProviderForm
    list_display = ["tenant", "name", "issuer", "enabled", "allow_local_login", "updated"]
    list_filter = ["enabled", "allow_local_login"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser  # the operator's setting, not a tenant's

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "subject", "created", "last_login"]
    readonly_fields = ["provider", "subject", "user", "created", "last_login"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False
