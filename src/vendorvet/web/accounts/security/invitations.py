"""Invitations: a tenant administrator invites an e-mail address with a role; the person behind it consents.

- The link carries a random 256-bit secret, signed with a timestamp (Django's signing); the database keeps
  only an HMAC of the secret. A link works once and until it expires (``VENDORVET_INVITATION_DAYS``).
- An existing user accepts while logged in with the account that has the invited address; a new user
  chooses a username and password on the acceptance page. The administrator never learns whether the
  address already had an account anywhere in the installation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import Membership
from vendorvet.web.accounts.security.models import Invitation
from vendorvet.web.core.context import Actor, require_actor, tenant_session

SALT = "vendorvet.accounts.invitation"


class InvitationError(Exception):
    """The invitation cannot be used (unknown, expired, used, withdrawn, or meant for another address)."""


def _hash(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"invitation:{secret}".encode(), hashlib.sha256).hexdigest()


def lifetime() -> timedelta:
    return timedelta(days=int(settings.VENDORVET_INVITATION_DAYS))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create(email: str, role: str) -> tuple[Invitation, str]:
    """Invite ``email`` to the active tenant; returns the invitation and the link token (never stored)."""
    roles.require(roles.MANAGE_MEMBERS)
    actor = require_actor()
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(email=normalise_email(email), role=role, token_hash=_hash(secret),
                            invited_by=actor.user, expires=timezone.now() + lifetime())
    invitation.full_clean(exclude=["tenant", "token_hash"])
    invitation.save()
    return invitation, signing.TimestampSigner(salt=SALT).sign(secret)


def open_invitations():
    """The active tenant's invitations that were not accepted or withdrawn (expired ones too)."""
    roles.require(roles.MANAGE_MEMBERS)
    return Invitation.objects.filter(accepted=None, revoked=None).order_by("-created")


def withdraw(invitation: Invitation) -> None:
    roles.require(roles.MANAGE_MEMBERS)
    if invitation.accepted is None and invitation.revoked is None:
        invitation.revoked = timezone.now()
        invitation.save()


def find(token: str) -> Invitation:
    """The open invitation a link token stands for, or :class:`InvitationError` (one answer for every reason)."""
    try:
        secret = signing.TimestampSigner(salt=SALT).unsign(token, max_age=lifetime())
    except signing.BadSignature:
        raise InvitationError("invalid") from None
    invitation = Invitation.all_tenants.select_related("tenant", "invited_by").filter(token_hash=_hash(secret)).first()
    if invitation is None or not invitation.is_open:
        raise InvitationError("closed")
    return invitation


def addressed_to(invitation: Invitation, user) -> bool:
    return bool(user.email) and normalise_email(user.email) == invitation.email


def _close(invitation: Invitation, user, accepted: bool) -> bool:
    """Accept or decline in the invitation's tenant, attributed to the invitee. True if a membership was made."""
    actor = Actor(kind="user", label=user.get_username() if user else "invitee", user=user, role=invitation.role)
    with tenant_session(invitation.tenant, actor), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise InvitationError("closed")
        joined = False
        if accepted:
            if not Membership.objects.filter(user=user).exists():
                Membership.objects.create(user=user, role=locked.role)
                joined = True
            locked.accepted, locked.accepted_by = timezone.now(), user
        else:
            locked.revoked = timezone.now()
        locked.save()
    return joined


def accept(invitation: Invitation, user) -> bool:
    """``user`` joins the invitation's tenant with its role (False if already a member: the role stays)."""
    if not addressed_to(invitation, user):
        raise InvitationError("other address")
    return _close(invitation, user, accepted=True)


def decline(invitation: Invitation, user=None) -> None:
    _close(invitation, user, accepted=False)
