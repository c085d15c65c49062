"""The operator's form for a tenant's SSO provider (Django admin): the secret is write-only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.sso.http import ProviderError, check_url
from vendorvet.web.accounts.sso.models import SsoProvider, validate_role_mapping


def parse_mapping(text: str) -> dict[str, str]:
    """``GROUP = ROLE`` per line (the group may contain spaces; the last ``=`` separates)."""
    mapping = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group, sep, role = line.rpartition("=")
        if not sep or not group.strip():
            raise forms.ValidationError(_("Line %(n)s: write “group = role”.") % {"n": number})
        mapping[group.strip()] = role.strip().lower()
    return mapping


def format_mapping(mapping: dict) -> str:
    return "\n".join(f"{group} = {role}" for group, role in sorted((mapping or {}).items()))


class SsoProviderForm(forms.ModelForm):
    issuer = forms.URLField(label=_("issuer URL"), max_length=500, assume_scheme="https",
                            help_text=_("Its discovery document is ISSUER/.well-known/openid-configuration."))
    client_secret = forms.CharField(
        label=_("client secret"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again after saving. Leave empty to keep the stored secret."))
    role_mapping = forms.CharField(
        label=_("group → role mapping"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One line per group: “group = role”, role one of admin, assessor, auditor. Users in no mapped "
                    "group are refused, and lose their membership at their next login."))

    class Meta:
        model = SsoProvider
        fields = ["tenant", "name", "enabled", "issuer", "client_id", "client_secret", "scopes", "groups_claim",
                  "role_mapping", "email_domains", "allow_local_login"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["role_mapping"] = format_mapping(self.instance.role_mapping)
            self.fields["client_secret"].help_text = _("A secret is stored. Leave empty to keep it.")

    def clean_issuer(self):
        issuer = self.cleaned_data["issuer"].rstrip("/")
        try:
            check_url(issuer)
        except ProviderError as exc:
            raise forms.ValidationError(str(exc)) from None
        return issuer

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret", "")
        if not secret:
            if not self.instance.pk or not self.instance.client_secret:
                raise forms.ValidationError(_("Enter the client secret."))
            return self.instance.client_secret
        return secret

    def clean_role_mapping(self):
        mapping = parse_mapping(self.cleaned_data.get("role_mapping", ""))
        try:
            validate_role_mapping(mapping)
        except Exception as exc:  # ValidationError from the model validator
            raise forms.ValidationError(getattr(exc, "messages", [str(exc)])) from None
        return mapping
