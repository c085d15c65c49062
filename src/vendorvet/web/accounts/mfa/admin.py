"""Operators may see and delete a user's second factors (e.g. a lost phone), never their secrets."""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from vendorvet.web.accounts.mfa.models import Passkey, RecoveryCode, TenantMfaPolicy

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)  # django-otp's own admin shows the TOTP key and its QR code


class _OperatorOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TOTPDevice)
class TotpDeviceAdmin(_OperatorOnly):
    list_display = ["user", "name", "confirmed", "last_used_at"]
    fields = ["user", "name", "confirmed", "last_used_at"]
    search_fields = ["user__username"]


@admin.register(Passkey)
class PasskeyAdmin(_OperatorOnly):
    list_display = ["user", "name", "created", "last_used"]
    fields = ["user", "name", "created", "last_used"]
    search_fields = ["user__username"]


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(_OperatorOnly):
    list_display = ["user", "created", "used"]
    fields = ["user", "created", "used"]
    search_fields = ["user__username"]


@admin.register(TenantMfaPolicy)
class TenantMfaPolicyAdmin(_OperatorOnly):
    list_display = ["tenant", "require", "updated"]
    fields = ["tenant", "require", "updated"]
