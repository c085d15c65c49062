"""Lockout over real HTTP: N wrong passwords lock the account (the right one is refused), unlock and cool-off
release it; the client address has its own limit; failures are recorded and Django's signal is sent."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import override_settings

from tests.conftest import PASSWORD
from vendorvet.cli.main import main

pytestmark = pytest.mark.django_db(transaction=True)  # the waitress thread sees committed rows only


def _fail(b, username, times):
    codes = [b.login(username, "wrong-password-123").status_code for _ in range(times)]
    return codes


def test_lockout_after_limit_then_cli_unlock(admin_a, browser, capsys):
    from axes.models import AccessFailureLog

    seen = []
    receiver = lambda sender, credentials, request=None, **kw: seen.append(credentials.get("username"))  # noqa: E731
    user_login_failed.connect(receiver)
    try:
        b = browser()
        assert _fail(b, "anna.admin", 4) == [200] * 4  # the login page again, with the error
        fifth = b.login("anna.admin", "wrong-password-123")
        assert fifth.status_code == 429 and int(fifth.headers["Retry-After"]) == 15 * 60
        assert "Too many failed logins" in fifth.text and "15 minutes" in fifth.text
        right = b.login("anna.admin", PASSWORD)
        assert right.status_code == 429 and "sessionid" not in right.cookies
        assert b.get("/integrations/").status_code == 302  # not logged in
        # another client address is refused too: the lock is on the account
        other = browser()
        assert other.login("anna.admin", PASSWORD).status_code == 429
    finally:
        user_login_failed.disconnect(receiver)
    assert seen.count("anna.admin") >= 6  # Django's signal for every failure, also refused ones
    rows = AccessFailureLog.objects.filter(username="anna.admin")
    assert rows.count() >= 6 and {r.ip_address for r in rows} == {"127.0.0.1"}
    assert rows.filter(locked_out=True).exists()
    assert main(["unlock", "--list"]) == 0
    assert "username anna.admin" in capsys.readouterr().out
    assert main(["unlock", "anna.admin"]) == 0
    assert "Unlocked username 'anna.admin'" in capsys.readouterr().out
    ok = browser().login("anna.admin", PASSWORD)
    assert ok.status_code == 302 and ok.headers["location"] == "/dashboard/"


def test_lockout_german_message_and_cooloff(auditor_a, browser):
    with override_settings(AXES_COOLOFF_TIME=timedelta(seconds=2)):
        b = browser()
        b.http.headers["Accept-Language"] = "de"
        codes = _fail(b, "aylin.auditor", 5)
        assert codes[-1] == 429
        locked = b.login("aylin.auditor", PASSWORD)
        assert locked.status_code == 429 and "Zu viele fehlgeschlagene Anmeldungen" in locked.text
        time.sleep(2.5)
        assert b.login("aylin.auditor", PASSWORD).status_code == 302


def test_unknown_usernames_lock_the_same_way(browser):
    b = browser()
    assert _fail(b, "nobody.here", 5)[-1] == 429  # same answer as for a real account: nothing to enumerate


@override_settings(VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT=6)
def test_client_address_limit_across_usernames(admin_a, browser):
    b = browser()
    for name in ("u1", "u2", "u3", "u4", "u5"):
        assert b.login(name, "wrong-password-123").status_code == 200
    assert b.login("u6", "wrong-password-123").status_code == 429  # the address is locked now
    assert b.login("anna.admin", PASSWORD).status_code == 429  # even a good login from this address
    assert main(["unlock", "--address", "127.0.0.1"]) == 0
    assert b.login("anna.admin", PASSWORD).status_code == 302


@override_settings(VENDORVET_LOGIN_CLIENT_FAILURE_LIMIT=100)  # one address does it all here: lock usernames only
def test_admin_unlock_page_scoped_to_members(admin_a, auditor_a, admin_b, browser):
    attacker = browser()
    _fail(attacker, "aylin.auditor", 5)
    _fail(attacker, "bernd.admin", 5)
    admin = browser()
    assert admin.login("anna.admin", PASSWORD).status_code == 302
    page = admin.get("/accounts/lockouts/").text
    assert "aylin.auditor" in page and "bernd.admin" not in page  # tenant B's user stays invisible
    assert "127.0.0.1" in page  # addresses of the member's failures
    refused = admin.post_form("/accounts/lockouts/", {"kind": "username", "value": "bernd.admin"})
    assert refused.status_code == 404
    done = admin.post_form("/accounts/lockouts/", {"kind": "username", "value": "aylin.auditor"})
    assert done.status_code == 302
    assert browser().login("aylin.auditor", PASSWORD).status_code == 302
    assert browser().login("bernd.admin", PASSWORD).status_code == 429
    # an auditor may not see the page at all
    auditor = browser()
    auditor.login("aylin.auditor", PASSWORD)
    assert auditor.get("/accounts/lockouts/").status_code == 403


def test_check_config_refuses_bad_front_door_numbers():
    from vendorvet.web.config import production_report

    report = production_report({"VENDORVET_LOGIN_FAILURE_LIMIT": "many", "VENDORVET_SESSION_IDLE_MINUTES": "0"})
    bad = {p.setting for p in report.problems if p.level == "error"}
    assert {"VENDORVET_LOGIN_FAILURE_LIMIT", "VENDORVET_SESSION_IDLE_MINUTES"} <= bad
    warned = production_report({"VENDORVET_LOGIN_FAILURE_LIMIT": "50"}).problems
    assert any(p.setting == "VENDORVET_LOGIN_FAILURE_LIMIT" and p.level == "warning" for p in warned)
