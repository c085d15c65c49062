"""Forms for the login page, API tokens and tenant members (new members are invited: accounts.security)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.roles import Role


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. “ERP sync” or “monitoring script”."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=90)
    read_only = forms.BooleanField(label=_("Read only"), required=False,
                                   help_text=_("The token can read and export, but never change anything."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
