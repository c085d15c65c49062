"""Tenants (client companies), memberships with roles, and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.roles import Role
from vendorvet.web.core.models import TenantOwnedModel


class Tenant(models.Model):
    """A client company. An IT service provider runs many in one installation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name

    def delete(self, *args, **kwargs):
        """The tenant with everything it owns, its history included (so the cascade records nothing)."""
        from vendorvet.web.core.context import tenant_deletion

        with tenant_deletion():
            return super().delete(*args, **kwargs)


class Membership(TenantOwnedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUDITOR)

    class Meta:
        ordering = ["tenant__name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="one_membership_per_tenant")]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant}: {self.role}"


def memberships_of(user) -> models.QuerySet[Membership]:
    """A user's memberships across tenants (deliberately unscoped: it decides the scope)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.all_tenants.none()
    return Membership.all_tenants.filter(user=user).select_related("tenant").order_by("tenant__name")


def role_in(user, tenant) -> str | None:
    if user is None or tenant is None:
        return None
    m = Membership.all_tenants.filter(user=user, tenant=tenant).only("role").first()
    return m.role if m else None


TOKEN_PREFIX = "vv_"


def _hash(secret: str) -> str:
    # Tokens are 256-bit random: a keyed fast hash is enough (no password stretching needed).
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


class APIToken(TenantOwnedModel):
    """A bearer token for the REST API: stored hashed, bound to one tenant, expiring, revocable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(max_length=16, unique=True, editable=False,
                              validators=[RegexValidator(r"^[A-Za-z0-9]+$")])
    key_hash = models.CharField(max_length=64, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    expires = models.DateTimeField(_("expires"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    key_hash.change_log_exclude = True
    last_used.change_log_exclude = True

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.key_id}…)"

    @classmethod
    def issue(cls, user, name: str, days: int = 90, read_only: bool = False) -> tuple["APIToken", str]:
        """Create a token; the plain key is returned once and never stored."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        token = cls(user=user, name=name, key_id=key_id, key_hash=_hash(secret), read_only=read_only,
                    expires=timezone.now() + timedelta(days=days))
        token.save()
        return token, f"{TOKEN_PREFIX}{key_id}.{secret}"

    @classmethod
    def authenticate(cls, presented: str) -> "APIToken | None":
        if not presented.startswith(TOKEN_PREFIX) or "." not in presented:
            return None
        key_id, _, secret = presented[len(TOKEN_PREFIX):].partition(".")
        token = cls.all_tenants.select_related("tenant", "user").filter(key_id=key_id).first()
        if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
            return None
        if not token.is_active:
            return None
        return token

    @property
    def is_active(self) -> bool:
        return self.revoked is None and self.expires > timezone.now() and self.user.is_active

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked", "last_updated"])
