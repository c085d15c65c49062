"""Per-user security state, the sessions a user has open, and invitations to a tenant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts.roles import Role
from vendorvet.web.core.models import TenantOwnedModel


class AccountState(models.Model):
    """What Django's user model has no field for: a forced password change."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state")
    must_change_password = models.BooleanField(_("must change the password at the next login"), default=False)
    password_changed = models.DateTimeField(_("password last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("account state")

    def __str__(self) -> str:
        return f"{self.user}"


class UserSession(models.Model):
    """One logged-in browser session of a user.

    The session itself (in Django's session store) carries ``sid``; a session whose record is gone
    is logged out on its next request ("log out other sessions"). The session key is not stored here.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sid = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    rotate_pending = models.BooleanField(default=False)
    # Raised whenever anything that decides the second-factor requirement of this user changes (factors,
    # memberships, a tenant's policy, operator flags); the session remembers the generation it last found
    # "nothing to ask for" at, so the front door re-checks only after a change instead of on every request.
    mfa_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-last_activity"]
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"{self.user} since {self.created:%Y-%m-%d %H:%M}"


class Invitation(TenantOwnedModel):
    """An e-mail invitation to join a tenant with a role; the link's secret is stored only as a keyed hash."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUDITOR)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires = models.DateTimeField(_("expires"))
    accepted = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    revoked = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    token_hash.change_log_exclude = True

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted is None and self.revoked is None and self.expires > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted is not None:
            return "accepted"
        if self.revoked is not None:
            return "withdrawn"
        if self.expires <= timezone.now():
            return "expired"
        return "open"
