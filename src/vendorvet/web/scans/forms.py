from django import forms
from django.utils.translation import gettext_lazy as _


class ScanSettingsForm(forms.Form):
    allow_private_targets = forms.BooleanField(
        label=_("Allow internal targets"), required=False,
        help_text=_("Scan endpoints that resolve to loopback, private, link-local or other internal addresses. "
                    "Off by default: the scanner then refuses them (protection against server-side request "
                    "forgery). Turn on only to vet systems in your own network."))
