"""A tenant's OpenID Connect provider (set by the operator) and the identities it vouched for."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.roles import Role

ROLE_RANK = {Role.AUDITOR: 1, Role.ASSESSOR: 2, Role.ADMIN: 3}


def validate_role_mapping(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("The group mapping must map group names to roles."))
    for group, role in value.items():
        if not isinstance(group, str) or not group.strip():
            raise ValidationError(_("Group names must not be empty."))
        if role not in ROLE_RANK:
            raise ValidationError(_("“%(role)s” is not a role (administrator: admin, assessor: assessor, "
                                    "read-only auditor: auditor).") % {"role": role})


class SsoProvider(models.Model):
    """Single sign-on for one tenant. The client secret is never shown or logged after saving."""

    tenant = models.OneToOneField("accounts.Tenant", on_delete=models.CASCADE, related_name="sso_provider")
    name = models.CharField(_("name shown on the login page"), max_length=100,
                            help_text=_("e.g. “Microsoft Entra ID” or “Company Keycloak”."))
    enabled = models.BooleanField(_("enabled"), default=True)
    issuer = models.URLField(_("issuer URL"), max_length=500,
                             help_text=_("The issuer; its discovery document is ISSUER/.well-known/openid-configuration."))
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret = models.CharField(_("client secret"), max_length=500)
    scopes = models.CharField(_("scopes"), max_length=300, default="openid email profile")
    groups_claim = models.CharField(_("groups claim"), max_length=100, default="groups",
                                    help_text=_("The claim of the ID token (or user info) listing the user's groups."))
    role_mapping = models.JSONField(_("group → role mapping"), default=dict, validators=[validate_role_mapping])
    email_domains = models.CharField(_("e-mail domains"), max_length=500, blank=True,
                                     help_text=_("Comma-separated; users may type their e-mail address to find "
                                                 "this sign-in."))
    allow_local_login = models.BooleanField(_("password login allowed"), default=True,
                                            help_text=_("Off: this tenant's members can only sign in through "
                                                        "single sign-on."))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("single sign-on provider")
        verbose_name_plural = _("single sign-on providers")

    def __str__(self) -> str:
        return f"{self.name} ({self.tenant})"

    def clean(self) -> None:
        validate_role_mapping(self.role_mapping)
        if "openid" not in self.scope_list():
            raise ValidationError({"scopes": _("The scopes must include “openid”.")})

    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s]

    def domain_list(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.email_domains.split(",") if d.strip()]

    def role_for(self, groups) -> str | None:
        """The strongest role any of ``groups`` maps to, or None when no group grants access."""
        if isinstance(groups, str):
            groups = [groups]
        if not isinstance(groups, (list, tuple)):
            return None
        roles = [self.role_mapping[g] for g in groups if isinstance(g, str) and g in self.role_mapping]
        return max(roles, key=lambda r: ROLE_RANK[r]) if roles else None


class SsoIdentity(models.Model):
    """Links the provider's subject (``sub``) to the vendorvet user created for it at the first login."""

    provider = models.ForeignKey(SsoProvider, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities")
    created = models.DateTimeField(auto_now_add=True)
    last_login = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="one_user_per_sso_subject")]
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")

    def __str__(self) -> str:
        return f"{self.user} via {self.provider.name}"
