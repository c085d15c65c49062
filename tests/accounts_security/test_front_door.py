"""Over real HTTP: API throttling, password change and reset by e-mail (a local SMTP server), the forced change,
sessions (idle time-out, list, log out others, rotation) and invitations with consent, across tenants."""

from __future__ import annotations

import io
import re
import sys
import time
from email import message_from_bytes, policy

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.conftest import PASSWORD, acting
from tests.monitoring.receivers import smtp_sink
from vendorvet.cli.main import main

pytestmark = pytest.mark.django_db(transaction=True)
SMTP = "django.core.mail.backends.smtp.EmailBackend"
NEW_PASSWORD = "Fleetkanal-Bruecke-2026-blau"


def _mail_text(message) -> str:
    return message_from_bytes(message["data"], policy=policy.default).get_body().get_content()


def _wait_for(box, count, seconds=10.0):
    deadline = time.monotonic() + seconds
    while len(box.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return box.messages


def test_api_throttled_per_token_and_per_address_with_retry_after(tenant_a, admin_a, browser):
    from django.core.cache import cache

    from vendorvet.web.accounts.models import APIToken

    cache.clear()
    with acting(tenant_a):
        _t1, key1 = APIToken.issue(admin_a, "one")
        _t2, key2 = APIToken.issue(admin_a, "two")
    b = browser()
    with override_settings(VENDORVET_API_RATES={"token": "3/min", "client": "7/min", "anon": "2/min"}):
        codes = [b.get("/api/me/", headers={"Authorization": f"Token {key1}"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = b.get("/api/me/", headers={"Authorization": f"Token {key1}"})
        assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60
        # another token has its own budget, but the address has used 5 of 5 after two more
        assert [b.get("/api/me/", headers={"Authorization": f"Token {key2}"}).status_code for _ in range(3)] == [
            200, 200, 429]
        # guessing keys: bad tokens count against the address before the 401
        cache.clear()
        bad = [b.get("/api/me/", headers={"Authorization": "Token vv_0000.guess"}) for _ in range(3)]
        assert [r.status_code for r in bad] == [401, 401, 429] and int(bad[2].headers["Retry-After"]) > 0
    cache.clear()


def test_password_reset_mail_via_local_smtp_no_enumeration(admin_a, browser):
    with smtp_sink() as (port, box), override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port,
                                                      VENDORVET_BASE_URL=""):
        b = browser()
        unknown = b.post_form("/accounts/password/reset/", {"email": "nobody@example.test"})
        known = b.post_form("/accounts/password/reset/", {"email": "anna.admin@example.test"})
        assert unknown.status_code == known.status_code == 302
        assert unknown.headers["location"] == known.headers["location"] == "/accounts/password/reset/sent/"
        messages = _wait_for(box, 1)
        time.sleep(0.3)
        assert len(messages) == 1 and messages[0]["to"] == ["anna.admin@example.test"]
        text = _mail_text(messages[0])
        link = re.search(r"(http://127\.0\.0\.1:\d+/accounts/password/reset/\S+/)", text).group(1)
        path = link.split(":", 2)[2].split("/", 1)[1]
        form = b.get("/" + path, follow_redirects=True)
        assert "new_password1" in form.text
        saved = b.post_form(str(form.url.path), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert saved.status_code == 302 and saved.headers["location"] == "/accounts/password/reset/done/"
        # the link works once
        assert "invalid" in b.get("/" + path, follow_redirects=True).text
    assert browser().login("anna.admin", PASSWORD).status_code == 200
    assert browser().login("anna.admin", NEW_PASSWORD).status_code == 302


def test_change_password_needs_old_one_and_ends_other_sessions(admin_a, browser):
    laptop, phone = browser(), browser(user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1")
    assert laptop.login("anna.admin", PASSWORD).status_code == 302
    assert phone.login("anna.admin", PASSWORD).status_code == 302
    wrong = laptop.post_form("/accounts/password/", {"old_password": "not-it", "new_password1": NEW_PASSWORD,
                                                      "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 400
    weak = laptop.post_form("/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345678",
                                                     "new_password2": "12345678"})
    assert weak.status_code == 400 and "too short" in weak.text
    old_cookie = laptop.http.cookies.get("sessionid")
    ok = laptop.post_form("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                   "new_password2": NEW_PASSWORD})
    assert ok.status_code == 302
    assert laptop.http.cookies.get("sessionid") != old_cookie  # rotated
    assert laptop.get("/integrations/").status_code == 200
    assert phone.get("/integrations/").status_code == 302  # logged out


def test_createadmin_forces_a_password_change_at_first_login(monkeypatch, browser, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["createadmin", "olga", "--email", "olga@example.test", "--tenant", "nordlicht",
                 "--password-stdin"]) == 0
    assert "must choose a new password" in capsys.readouterr().out
    b = browser()
    assert b.login("olga", PASSWORD).status_code == 302
    page = b.get("/integrations/")
    assert page.status_code == 302 and page.headers["location"] == "/accounts/password/"
    assert b.get("/api/me/").status_code == 403
    assert "set by an administrator" in b.get("/accounts/password/").text
    assert b.post_form("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                               "new_password2": NEW_PASSWORD}).status_code == 302
    assert b.get("/integrations/").status_code == 200
    assert browser().login("olga", NEW_PASSWORD).status_code == 302
    assert browser().login("olga", NEW_PASSWORD).headers["location"] == "/dashboard/"  # the landing page


def test_sessions_list_log_out_others_idle_timeout_and_rotation(admin_a, tenant_a, tenant_b, browser):
    from vendorvet.web.accounts.models import Membership

    with acting(tenant_b):
        Membership.objects.create(user=admin_a, role="auditor")
    laptop = browser()
    phone = browser(user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1")
    laptop.login("anna.admin", PASSWORD)
    phone.login("anna.admin", PASSWORD)
    page = laptop.get("/accounts/account/").text
    assert "Firefox · Linux" in page and "Safari · iOS" in page and "127.0.0.1" in page
    # a tenant switch gives a new session key
    before = laptop.http.cookies.get("sessionid")
    assert laptop.post_form("/integrations/", {"tenant": str(tenant_b.pk)},
                            action="/accounts/switch-tenant/").status_code == 302
    assert laptop.http.cookies.get("sessionid") != before
    # a role change (by an administrator) rotates the key at the next request
    with acting(tenant_a):
        m = Membership.objects.get(user=admin_a)
        m.role = "admin"
        m.save()
    before = phone.http.cookies.get("sessionid")
    assert phone.get("/integrations/").status_code == 200
    assert phone.http.cookies.get("sessionid") != before
    # log out the others
    assert laptop.post_form("/accounts/account/", {}, action="/accounts/account/sessions/end-others/").status_code \
        == 302
    assert phone.get("/integrations/").status_code == 302
    assert laptop.get("/integrations/").status_code == 200
    assert "Safari · iOS" not in laptop.get("/accounts/account/").text
    # idle time-out
    with override_settings(VENDORVET_SESSION_IDLE_SECONDS=2):
        time.sleep(2.5)
        gone = laptop.get("/integrations/")
        assert gone.status_code == 302 and gone.headers["location"].startswith("/accounts/login/")
        assert "without activity" in laptop.get(gone.headers["location"]).text


def test_invitations_consent_and_no_cross_tenant_enumeration(admin_a, admin_b, tenant_a, browser):
    from vendorvet.web.accounts.models import Membership

    with smtp_sink() as (port, box), override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
        admin = browser()
        admin.login("anna.admin", PASSWORD)
        members = admin.get("/accounts/members/").text
        assert "bernd.admin" not in members and 'name="username"' not in members
        # the old way of adding a user by name is gone
        assert admin.post_form("/accounts/members/", {"username": "bernd.admin", "role": "auditor"}).status_code \
            == 405
        existing = admin.post_form("/accounts/members/", {"email": "bernd.admin@example.test", "role": "assessor"},
                                   action="/accounts/invitations/")
        unknown = admin.post_form("/accounts/members/", {"email": "new.person@example.test", "role": "auditor"},
                                  action="/accounts/invitations/")
        assert existing.status_code == unknown.status_code == 302
        follow = admin.get("/accounts/members/").text
        assert "bernd.admin@example.test" in follow and "new.person@example.test" in follow
        assert "bernd.admin<" not in follow  # the username behind the address stays unknown
        assert not Membership.all_tenants.filter(user=admin_b, tenant=tenant_a).exists()  # no consent yet
        mails = _wait_for(box, 2)
        links = {m["to"][0]: re.search(r"(/accounts/invite/\S+/)", _mail_text(m)).group(1) for m in mails}
    # the existing user sees tenant and role, must be logged in with the invited address, and accepts
    b = browser()
    shown = b.get(links["bernd.admin@example.test"])
    assert "Nordlicht Maschinenbau GmbH" in shown.text and "Assessor" in shown.text
    aylin = browser()
    get_user_model().objects.create_user("other.person", "other@example.test", PASSWORD)
    aylin.login("other.person", PASSWORD)
    assert aylin.post_form(links["bernd.admin@example.test"], {"action": "accept"}).status_code == 403
    b.login("bernd.admin", PASSWORD)
    assert b.post_form(links["bernd.admin@example.test"], {"action": "accept"}).status_code == 302
    assert Membership.all_tenants.get(user=admin_b, tenant=tenant_a).role == "assessor"
    assert b.get(links["bernd.admin@example.test"]).status_code == 404  # single use
    # a new user chooses username and password
    n = browser()
    page = n.post_form(links["new.person@example.test"], {"action": "create", "username": "neu.person",
                                                          "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert page.status_code == 302
    user = get_user_model().objects.get(username="neu.person")
    assert user.email == "new.person@example.test"
    assert Membership.all_tenants.get(user=user, tenant=tenant_a).role == "auditor"
    assert n.get("/integrations/").status_code == 200
    assert b.get("/accounts/invite/garbage:token:x/").status_code == 404
