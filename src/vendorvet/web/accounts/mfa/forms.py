from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.mfa.models import Requirement


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                                         "inputmode": "text", "spellcheck": "false"}),
                           help_text=_("The six digits from your authenticator app, or one of your recovery codes."))


class TotpConfirmForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64, initial=_("Authenticator app"))
    code = forms.CharField(label=_("Code from the app"), max_length=8, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class ReauthForm(forms.Form):
    """Asks for the current password again before a second factor is removed."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, request, *args, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.get_username(), password=password) is None:
            raise forms.ValidationError(_("That is not your password."))
        return password


class TenantPolicyForm(forms.Form):
    require = forms.ChoiceField(label=_("Two-factor authentication in this tenant"), choices=Requirement.choices)
