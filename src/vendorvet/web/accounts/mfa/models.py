"""Passkeys, hashed single-use recovery codes and the per-tenant enforcement setting.

TOTP devices are django-otp's ``TOTPDevice`` (with its replay protection and throttling).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are typed from paper


class Passkey(models.Model):
    """A WebAuthn credential registered by a user (a platform passkey or a security key)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(_("name"), max_length=100)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.TextField()  # base64url COSE key
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def __str__(self) -> str:
        return self.name


def _digest(code: str) -> str:
    normal = code.strip().lower().replace("-", "").replace(" ", "")
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


class RecoveryCode(models.Model):
    """One single-use recovery code, stored only as a keyed hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique_per_user")]
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    @classmethod
    def generate(cls, user) -> list[str]:
        """Replace the user's codes with fresh ones; the plain codes are returned once and never stored."""
        codes = []
        while len(codes) < RECOVERY_CODE_COUNT:
            raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
            code = f"{raw[:5]}-{raw[5:]}"
            if code not in codes:
                codes.append(code)
        with transaction.atomic():
            cls.objects.filter(user=user).delete()
            cls.objects.bulk_create([cls(user=user, digest=_digest(c)) for c in codes])
        return codes

    @classmethod
    def remaining(cls, user) -> int:
        return cls.objects.filter(user=user, used__isnull=True).count()

    @classmethod
    def consume(cls, user, code: str) -> bool:
        """Use up ``code`` if it is one of the user's unused codes (atomic: a code works once)."""
        if not code or len(code) > 40:
            return False
        updated = cls.objects.filter(user=user, digest=_digest(code), used__isnull=True).update(used=timezone.now())
        return updated == 1


class Requirement(models.TextChoices):
    NONE = "none", _("Not required")
    ADMINS = "admins", _("Required for administrators")
    ALL = "all", _("Required for all members")


REQUIREMENT_ORDER = {Requirement.NONE: 0, Requirement.ADMINS: 1, Requirement.ALL: 2}


class TenantMfaPolicy(models.Model):
    """A tenant's own 2FA requirement. It can only tighten the installation's minimum, never relax it."""

    tenant = models.OneToOneField("accounts.Tenant", on_delete=models.CASCADE, related_name="mfa_policy")
    require = models.CharField(_("two-factor authentication"), max_length=10, choices=Requirement.choices,
                               default=Requirement.NONE)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policies")

    def __str__(self) -> str:
        return f"{self.tenant}: {self.get_require_display()}"
