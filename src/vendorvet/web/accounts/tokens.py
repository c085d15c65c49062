"""Who may see, create and revoke API tokens — one set of rules for the web UI, the API and the CLI.

- Every member of a tenant may create tokens for themselves; a token acts with its
  user's *current* role, so a token never grants more than its user has.
- Tokens are not created with a token (a leaked token must not mint long-lived
  successors): use the web session, the interactive API docs while logged in, or the CLI.
- Everyone sees and may revoke their own tokens; ``manage_tokens`` (administrators)
  sees and may revoke every token of the tenant. A read-only token changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import APIToken
from vendorvet.web.core.context import PermissionDeniedError, require_actor

DEFAULT_DAYS = 90
MAX_DAYS = 365
NAME_MAX_LENGTH = APIToken._meta.get_field("name").max_length


def _acting_user():
    actor = require_actor()
    roles.require(roles.VIEW)  # a member of the active tenant
    if actor.user is None:
        raise PermissionDeniedError(_("Only a user can own API tokens."))
    return actor


def _forbid_read_only_token(actor) -> None:
    if actor.token is not None and actor.token.read_only:
        raise PermissionDeniedError(_("A read-only token cannot change anything."))


def visible_tokens() -> QuerySet[APIToken]:
    """The tenant's tokens the actor may see: their own, or all with ``manage_tokens``."""
    actor = _acting_user()
    qs = APIToken.objects.select_related("user")
    if not roles.has_perm(roles.MANAGE_TOKENS):
        qs = qs.filter(user=actor.user)
    return qs.order_by("-created", "-pk")


def issue_token(name: str, days: int = DEFAULT_DAYS, read_only: bool = False) -> tuple[APIToken, str]:
    """Create a token for the acting user; returns it with the plain key (shown once, never stored)."""
    actor = _acting_user()
    if actor.token is not None:
        raise PermissionDeniedError(_("API tokens cannot create tokens; use the web session or the CLI."))
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the token a name.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [_("At most %(n)d characters.") % {"n": NAME_MAX_LENGTH}]
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("Between 1 and %(n)d days.") % {"n": MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    return APIToken.issue(actor.user, name, days=days, read_only=bool(read_only))


def revoke_token(token: APIToken) -> APIToken:
    """Revoke a token the actor may see (idempotent: an already revoked token keeps its time)."""
    actor = _acting_user()
    _forbid_read_only_token(actor)
    if token.user_id != actor.user.pk:
        roles.require(roles.MANAGE_TOKENS)
    if token.revoked is None:
        token.revoke()
    return token


def token_state(token: APIToken) -> str:
    if token.revoked is not None:
        return "revoked"
    if token.expires <= timezone.now():
        return "expired"
    if not token.user.is_active:
        return "inactive"
    return "active"
