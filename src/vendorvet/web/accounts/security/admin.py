"""Operators (Django admin) can force a password change; axes registers its own attempt and failure lists."""

from django.contrib import admin

from vendorvet.web.accounts.security.models import AccountState


@admin.register(AccountState)
class AccountStateAdmin(admin.ModelAdmin):
    list_display = ("user", "must_change_password", "password_changed")
    list_filter = ("must_change_password",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("password_changed",)
