"""Single sign-on against a real OpenID Connect provider (oidc-provider on Node.js) on loopback, in Chromium,
with vendorvet served by waitress: role mapping, role change, deprovisioning at the next login, password login
refused for an SSO-only tenant."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.support.live_waitress import release_test_connections, waitress_server  # noqa: F401 - fixtures
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(waitress_server, tmp_path, settings):
    settings.VENDORVET_SSO_ALLOW_LOOPBACK = True
    running = OidcProvider(f"{waitress_server}/accounts/sso/callback/", tmp_path)
    yield running
    running.stop()


@pytest.fixture
def sso_tenant(tenant_a, provider):
    from vendorvet.web.accounts.sso.models import SsoProvider

    SsoProvider.objects.create(
        tenant=tenant_a, name="Nordlicht Login", issuer=provider.issuer, client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET, scopes="openid email profile groups", groups_claim="groups",
        role_mapping={"vv-admins": "admin", "vv-auditors": "auditor"}, email_domains="nordlicht.test",
        allow_local_login=False)
    return tenant_a


def sso_login(page, base: str, typed: str, login: str | None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_organisation", typed)
    page.click("button:has-text('Continue with single sign-on')")
    if login is not None:  # the provider's own login form (first time only; later its session remembers)
        page.wait_for_selector("input[name=login]")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", "any password the test provider accepts")
        page.click("button[type=submit]")


def membership_role(user, tenant):
    from vendorvet.web.accounts.models import Membership

    m = Membership.all_tenants.filter(user=user, tenant=tenant).first()
    return m.role if m else None


def test_oidc_login_maps_roles_and_deprovisions_when_the_group_is_gone(waitress_server, provider, sso_tenant,
                                                                      browser_page,
        release_test_connections):
    from playwright.sync_api import expect

    from vendorvet.web.accounts.sso.models import SsoIdentity

    page, base = browser_page, waitress_server
    provider.set_account("olga", "olga@nordlicht.test", ["vv-auditors", "unrelated"])

    # first login: the user is created just in time, with the role of the mapped group
    sso_login(page, base, "olga@nordlicht.test", "olga")
    page.wait_for_url("**/dashboard/")
    identity = SsoIdentity.objects.select_related("user").get(subject="olga")
    user = identity.user
    assert user.email == "olga@nordlicht.test" and not user.has_usable_password()
    assert membership_role(user, sso_tenant) == "auditor"
    expect(page.locator(".topbar .role")).to_have_text("Read-only auditor")
    page.click("button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")

    # the group changed at the provider: the role follows at the next login (typed as the tenant's short name)
    provider.set_account("olga", "olga@nordlicht.test", ["vv-admins"])
    sso_login(page, base, sso_tenant.slug, None)
    page.wait_for_url("**/dashboard/")
    assert membership_role(user, sso_tenant) == "admin"
    expect(page.locator(".topbar .role")).to_have_text("Administrator")
    page.click("button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")

    # no mapped group any more: membership removed, login refused with a clear message
    provider.set_account("olga", "olga@nordlicht.test", ["unrelated"])
    sso_login(page, base, "olga@nordlicht.test", None)
    page.wait_for_url("**/accounts/login/")
    expect(page.locator(".messages")).to_contain_text("no longer in a group with access")
    assert membership_role(user, sso_tenant) is None
    page.goto(f"{base}/integrations/")
    assert "/accounts/login/" in page.url


def test_sso_only_tenant_refuses_password_login_and_unknown_organisations(waitress_server, sso_tenant, assessor_a,
                                                                          browser_page,
        release_test_connections):
    from playwright.sync_api import expect

    page, base = browser_page, waitress_server
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", assessor_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    expect(page.locator(".nonfield-errors")).to_contain_text("single sign-on (Nordlicht Login) only")
    assert "/accounts/login/" in page.url

    sso_login(page, base, "someone@elsewhere.test", None)
    page.wait_for_url("**/accounts/login/")
    expect(page.locator(".messages")).to_contain_text("No single sign-on is set up for “someone@elsewhere.test”")
