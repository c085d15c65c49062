"""Forms for the login page, API tokens and tenant members."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.models import Membership
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


class AddMemberForm(forms.Form):
    """Add an existing user by username, or create a new user (email and initial password given)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AUDITOR)
    create = forms.BooleanField(label=_("Create a new user"), required=False,
                                help_text=_("Leave unticked to add a user who already has an account."))
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(label=_("Initial password"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("Only for a new user. Share it securely; the user should change it."))

    def clean(self):
        cleaned = super().clean()
        username = (cleaned.get("username") or "").strip()
        if not username:
            return cleaned
        User = get_user_model()
        existing = User.objects.filter(username__iexact=username).first()
        if cleaned.get("create"):
            if existing is not None:
                self.add_error("username", _("A user with this username already exists; untick “Create a new user”."))
                return cleaned
            try:
                User.username_validator(username)
            except ValidationError as exc:
                self.add_error("username", exc)
            if not cleaned.get("email"):
                self.add_error("email", _("An email address is needed for a new user."))
            password = cleaned.get("password") or ""
            if not password:
                self.add_error("password", _("An initial password is needed for a new user."))
            else:
                candidate = User(username=username, email=cleaned.get("email") or "")
                try:
                    password_validation.validate_password(password, candidate)
                except ValidationError as exc:
                    self.add_error("password", exc)
        else:
            if existing is None or not existing.is_active:
                self.add_error("username", _("There is no active user with this username."))
            elif Membership.objects.filter(user=existing).exists():
                self.add_error("username", _("This user is already a member of this tenant."))
            cleaned["user"] = existing
        cleaned["username"] = username
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
