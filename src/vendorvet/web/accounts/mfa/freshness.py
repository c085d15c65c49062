"""Whether a logged-in user has a second factor, without asking the database on every request.

The front door asks on every request whether a session that was completed with the password alone belongs to
a user with a second factor (then the factor must be proven). That changes only when one of the user's TOTP
devices or passkeys is saved or deleted. A session that found "no second factor" stores the generation of its
session record (``UserSession.mfa_generation``) it found that at; every change to a factor raises the
generation of all the user's session records, so the next request of each of their sessions looks again — as
promptly as before. The tenants' requirements are not cached: they come with the memberships the tenant
middleware reads anyway.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from vendorvet.web.accounts.mfa.models import Passkey
from vendorvet.web.accounts.security.models import UserSession

NO_FACTOR_KEY = "vv_mfa_none_at"


def _stamp(row) -> str:
    # with the record's own sid: a new login (even in the same browser session) has a new record and is looked
    # at afresh, whatever generation that record starts at
    return f"{row.sid}:{row.mfa_generation}"


def known_without_factor(request) -> bool:
    """True if this session found its user without a second factor, and no factor changed since."""
    row = getattr(request, "user_session", None)
    return row is not None and request.session.get(NO_FACTOR_KEY) == _stamp(row)


def remember_without_factor(request) -> None:
    row = getattr(request, "user_session", None)
    if row is not None:  # the generation read at the start of the request: a change since then looks again
        request.session[NO_FACTOR_KEY] = _stamp(row)


def _factor_changed(sender, instance, **kwargs):
    UserSession.objects.filter(user_id=instance.user_id).update(mfa_generation=F("mfa_generation") + 1)


def connect() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for signal in (post_save, post_delete):
        for model in (TOTPDevice, Passkey):
            signal.connect(_factor_changed, sender=model,
                           dispatch_uid=f"vv_mfa_factor_{model.__name__}_{signal is post_save}")
