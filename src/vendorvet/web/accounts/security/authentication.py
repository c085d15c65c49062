"""Who is logged in: Django's session authentication, with the user read together with the login-session record.

Every request of a logged-in browser needs two rows: the user and the :class:`UserSession` that says this login
has not been ended elsewhere (:mod:`.middleware`). Django's ``AuthenticationMiddleware`` reads the user on its own;
this one reads both in one query (the record joined to its user) and hands the record to the front door, so the
revocation check costs no query of its own. The user it returns is the one Django's ``get_user`` would return:
the same backend rules (the session's backend must still be configured, the account must be allowed to log in)
and the same session-hash verification (a changed password ends the session; a hash made with a previous
``SECRET_KEY_FALLBACKS`` key is renewed). Sessions it cannot serve this way — no record yet, a backend with its
own ``get_user``, a record that is gone — go through Django's ``get_user`` unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from vendorvet.web.accounts.security.models import UserSession
from vendorvet.web.accounts.security.sessions import SID_KEY

ROW_ATTRIBUTE = "_vendorvet_session_row"  # set once the record was looked up (None: there is none)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)  # its checks, and ``request.auser`` for async views
        request.user = SimpleLazyObject(lambda: get_user(request))


def get_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _load(request)
    return request._cached_user


def session_row(request):
    """The login-session record read with the user, or ``...`` when it was not read that way."""
    return getattr(request, ROW_ATTRIBUTE, ...)


def _load(request):
    session = request.session
    sid = session.get(SID_KEY)
    backend_path = session.get(BACKEND_SESSION_KEY)
    if not sid or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    backend = load_backend(backend_path)
    if type(backend).get_user is not ModelBackend.get_user:  # a backend that loads users its own way
        return auth.get_user(request)
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
    except (KeyError, ValidationError):
        return auth.get_user(request)
    row = UserSession.objects.select_related("user").filter(sid=sid, user_id=user_id).first()
    setattr(request, ROW_ATTRIBUTE, row)
    if row is None:  # ended elsewhere: Django's answer, the front door then logs the session out
        return auth.get_user(request)
    user = row.user
    if not backend.user_can_authenticate(user) or not _hash_verified(session, user):
        setattr(request, ROW_ATTRIBUTE, None)
        return AnonymousUser()
    return user


def _hash_verified(session, user) -> bool:
    """Django's session verification (``django.contrib.auth.get_user``): the stored hash must match the user's
    current one; one made with a fallback secret is renewed; anything else flushes the session."""
    session_hash = session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return True
    if session_hash and any(constant_time_compare(session_hash, fallback)
                            for fallback in user.get_session_auth_fallback_hash()):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current
        return True
    session.flush()
    return False
