"""The logged-in user is read together with the login-session record (one query), with every rule of Django's
own ``get_user`` kept: an ended session, a changed password, a deactivated account and a rotated secret key."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ME = "/api/me/"  # answers 200 for a session user, 401 for anonymous (a small page: the queries are the front door's)


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def _user_queries(client) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(ME).status_code
    sqls = [q["sql"] for q in ctx.captured_queries]
    return status, [s for s in sqls if "accounts_security_usersession" in s or 'FROM "auth_user"' in s]


def test_user_and_session_record_in_one_query(admin_a):
    client = _client(admin_a)
    status, reads = _user_queries(client)
    assert status == 200
    assert len(reads) == 1 and "JOIN" in reads[0], reads  # the record joined to its user, nothing else


def test_a_session_ended_elsewhere_is_logged_out(admin_a):
    from vendorvet.web.accounts.security.models import UserSession

    ended, kept = _client(admin_a), _client(admin_a)
    sid = ended.session["vv_sid"]
    UserSession.objects.filter(sid=sid).delete()  # "log out my other sessions" from the second browser
    assert ended.get(ME).status_code == 401
    assert SESSION_KEY not in ended.session
    assert kept.get(ME).status_code == 200


def test_a_changed_password_ends_the_other_sessions(admin_a):
    client = _client(admin_a)
    admin_a.set_password("Another-Long-Passphrase-2026")
    admin_a.save()
    assert client.get(ME).status_code == 401
    assert SESSION_KEY not in client.session  # flushed, as Django's get_user does


def test_a_deactivated_account_is_anonymous(admin_a):
    client = _client(admin_a)
    admin_a.is_active = False
    admin_a.save(update_fields=["is_active"])
    assert client.get(ME).status_code == 401


def test_a_session_made_with_the_previous_secret_key_stays_and_is_renewed(admin_a, settings):
    with override_settings(SECRET_KEY="the-old-secret-key-of-this-test-" + "x" * 20):
        client = _client(admin_a)
        old_hash = client.session["_auth_user_hash"]
        old_key = client.cookies["sessionid"].value
    with override_settings(SECRET_KEY="the-new-secret-key-of-this-test-" + "y" * 20,
                           SECRET_KEY_FALLBACKS=["the-old-secret-key-of-this-test-" + "x" * 20]):
        assert client.get(ME).status_code == 200
        assert client.session["_auth_user_hash"] != old_hash  # renewed with the current key
        assert client.cookies["sessionid"].value != old_key  # and the session key cycled
        assert client.get(ME).status_code == 200
    with override_settings(SECRET_KEY="a-third-unrelated-secret-key-" + "z" * 20, SECRET_KEY_FALLBACKS=[]):
        assert client.get(ME).status_code == 401  # no key verifies it any more


def test_a_session_from_before_records_gets_one(admin_a):
    from vendorvet.web.accounts.security.models import UserSession

    client = _client(admin_a)
    session = client.session
    UserSession.objects.filter(sid=session.pop("vv_sid")).delete()
    session.save()
    assert client.get(ME).status_code == 200  # Django's get_user, then the front door records the session
    assert UserSession.objects.filter(sid=client.session["vv_sid"], user=admin_a).exists()
    status, reads = _user_queries(client)
    assert status == 200 and len(reads) == 1
