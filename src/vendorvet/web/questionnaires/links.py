"""Personal questionnaire links, one-time codes and the throttle that guards both.

- A link carries a random 256-bit secret signed with a timestamp (Django's signing, its own salt: a link of
  another kind — an invitation, a password reset — never validates here). The database keeps only an HMAC of
  the secret (``Recipient.token_hash``), bound to one recipient of one questionnaire. A link stops working when
  it expires, when it is revoked, or when the questionnaire is closed.
- :func:`find` gives one answer for every reason a link is refused (:class:`LinkRefused`): a tampered, unknown,
  expired or revoked link all look the same to the visitor.
- Every refused link and every wrong code counts against the client address; past
  ``VENDORVET_QUESTIONNAIRE_FAILURE_LIMIT`` failures within ``VENDORVET_QUESTIONNAIRE_FAILURE_WINDOW`` seconds,
  the address gets HTTP 429 for every link, valid ones included, until the window has passed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

SALT = "vendorvet.questionnaires.link"
CODE_SALT = "vendorvet.questionnaires.code"
CODE_MINUTES = 15
DEFAULT_FAILURE_LIMIT = 20
DEFAULT_FAILURE_WINDOW = 15 * 60


class LinkRefused(Exception):
    """The link cannot be used (one answer for every reason)."""


class Throttled(Exception):
    def __init__(self, wait: int):
        super().__init__(f"retry in {wait} s")
        self.wait = wait


def _hmac(kind: str, secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{secret}".encode(), hashlib.sha256).hexdigest()


def token_hash(secret: str) -> str:
    return _hmac("questionnaire-link", secret)


def new_link() -> tuple[str, str]:
    """(signed token for the URL, hash to store): the secret itself is stored nowhere."""
    secret = secrets.token_urlsafe(32)
    return signing.TimestampSigner(salt=SALT).sign(secret), token_hash(secret)


def find(token: str):
    """The usable recipient a link token stands for (questionnaire open, link neither expired nor revoked)."""
    from vendorvet.web.questionnaires.models import Recipient, Status

    try:
        secret = signing.TimestampSigner(salt=SALT).unsign(token or "")
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    recipient = (Recipient.all_tenants.select_related("questionnaire__tenant", "questionnaire__assessment__integration"
                                                      "__vendor").filter(token_hash=token_hash(secret)).first())
    if recipient is None or not recipient.usable() or recipient.questionnaire.status == Status.CLOSED:
        raise LinkRefused("closed")
    return recipient


# --------------------------------------------------------------------------- one-time codes

def new_code() -> tuple[str, str]:
    code = f"{secrets.randbelow(10**6):06d}"
    return code, _hmac(CODE_SALT, code)


def code_matches(recipient, code: str) -> bool:
    if not recipient.code_hash or recipient.code_expires is None or recipient.code_expires < timezone.now():
        return False
    return hmac.compare_digest(recipient.code_hash, _hmac(CODE_SALT, (code or "").strip()))


# --------------------------------------------------------------------------- throttle

def _limit() -> tuple[int, int]:
    return (int(getattr(settings, "VENDORVET_QUESTIONNAIRE_FAILURE_LIMIT", DEFAULT_FAILURE_LIMIT)),
            int(getattr(settings, "VENDORVET_QUESTIONNAIRE_FAILURE_WINDOW", DEFAULT_FAILURE_WINDOW)))


def _key(ip: str) -> str:
    return f"vv_questionnaire_fail_{ip}"


def check_throttle(ip: str) -> None:
    """Raise :class:`Throttled` when the address used up its failures in the current window."""
    limit, window = _limit()
    started, count = cache.get(_key(ip), (0.0, 0))
    if count >= limit and time.time() - started < window:
        raise Throttled(int(window - (time.time() - started)) + 1)


def count_failure(ip: str) -> None:
    limit, window = _limit()
    started, count = cache.get(_key(ip), (0.0, 0))
    if time.time() - started >= window:
        started, count = time.time(), 0
    cache.set(_key(ip), (started, count + 1), window)
