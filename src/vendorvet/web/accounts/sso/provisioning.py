"""Just-in-time provisioning from the ID token: the user, their role from the groups, and deprovisioning.

At every SSO login the groups decide the role in the provider's tenant; when no group maps to a role any more,
the membership is removed and the login refused.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vendorvet.web.accounts.models import Membership
from vendorvet.web.accounts.sso.models import SsoIdentity, SsoProvider
from vendorvet.web.core.context import Actor, tenant_session

_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


class LoginRefused(Exception):
    """The provider vouched for the user, but vendorvet refuses the login (message safe to show)."""


def _actor(provider: SsoProvider) -> Actor:
    return Actor.system(f"single sign-on ({provider.name})"[:150])


def _free_username(provider: SsoProvider, claims: dict) -> str:
    base = str(claims.get("email") or claims.get("preferred_username") or claims["sub"])
    base = _USERNAME_UNSAFE.sub("", base)[:120] or "sso-user"
    users = get_user_model().objects
    candidate = base
    for n in range(2, 1000):
        if not users.filter(username__iexact=candidate).exists():
            return candidate
        candidate = f"{base}-{provider.tenant.slug}" if n == 2 else f"{base}-{provider.tenant.slug}-{n}"
    raise LoginRefused(_("No user name is free for this account. Ask your administrator."))


def _update_profile(user, claims: dict) -> None:
    changed = []
    email = claims.get("email")
    if isinstance(email, str) and len(email) <= 254 and user.email != email:
        user.email = email
        changed.append("email")
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = claims.get(claim)
        if isinstance(value, str) and getattr(user, field) != value[:150]:
            setattr(user, field, value[:150])
            changed.append(field)
    if changed:
        user.save(update_fields=changed)


def _deprovision(provider: SsoProvider, subject: str) -> bool:
    """Remove the membership of the user behind ``subject`` in the provider's tenant; True if there was one."""
    identity = SsoIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    if identity is None:
        return False
    removed = False
    with transaction.atomic(), tenant_session(provider.tenant, _actor(provider)):
        for membership in Membership.objects.filter(user=identity.user):
            membership.delete()
            removed = True
    return removed


def sign_in(provider: SsoProvider, claims: dict):
    """The user to log in for these (verified) claims; raises LoginRefused with a message for the user."""
    subject = str(claims["sub"])
    role = provider.role_for(claims.get(provider.groups_claim))
    tenant = provider.tenant
    if role is None:
        # committed before the refusal: the removal must not roll back with the failed login
        if _deprovision(provider, subject):
            raise LoginRefused(_("Your account at %(idp)s is no longer in a group with access to “%(tenant)s”. "
                                 "Your access has been removed; ask your administrator if this is wrong.")
                               % {"idp": provider.name, "tenant": tenant.name})
        raise LoginRefused(_("Your account at %(idp)s is not in a group with access to “%(tenant)s”. "
                             "Ask your administrator.") % {"idp": provider.name, "tenant": tenant.name})
    with transaction.atomic():
        identity = SsoIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
        if identity is None:
            user = get_user_model()(username=_free_username(provider, claims))
            user.set_unusable_password()
            user.save()
            identity = SsoIdentity.objects.create(provider=provider, subject=subject, user=user)
        user = identity.user
        if not user.is_active:
            raise LoginRefused(_("This account is deactivated. Ask your administrator."))
        _update_profile(user, claims)
        with tenant_session(tenant, _actor(provider)):
            membership = Membership.objects.filter(user=user).first()
            if membership is None:
                Membership.objects.create(user=user, role=role)
            elif membership.role != role:
                membership.role = role
                membership.save()
        identity.last_login = timezone.now()
        identity.save(update_fields=["last_login"])
    return user
