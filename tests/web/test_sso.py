"""Single sign-on without a browser: the Django test client plays vendorvet, httpx plays the user's browser at the
real oidc-provider on loopback. Checks what a browser test cannot easily vary: state, nonce, client secret,
the SSRF guard, the CLI and the admin form (the secret is never shown)."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/accounts/sso/callback/"


@pytest.fixture
def provider(tmp_path, settings):
    settings.VENDORVET_SSO_ALLOW_LOOPBACK = True
    running = OidcProvider(CALLBACK, tmp_path)
    yield running
    running.stop()


@pytest.fixture
def sso(tenant_a, provider):
    from vendorvet.web.accounts.sso.models import SsoProvider

    provider.set_account("kai", "kai@nordlicht.test", ["vv-assessors"])
    return SsoProvider.objects.create(
        tenant=tenant_a, name="Nordlicht Login", issuer=provider.issuer, client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET, scopes="openid email profile groups", email_domains="nordlicht.test",
        role_mapping={"vv-assessors": "assessor"})


def start(client: Client, typed: str = "kai@nordlicht.test") -> str:
    page = client.post(reverse("sso:start"), {"organisation": typed})
    assert page.status_code == 200, page
    return html.unescape(re.search(r'href="([^"]+)" id="sso-continue"', page.content.decode()).group(1))


def provider_login(auth_url: str, login: str = "kai") -> str:
    """Walk the provider's own login form like a browser; the callback URL it sends the user back to."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        url = auth_url
        for _ in range(12):
            response = browser.get(url)
            if response.status_code in (302, 303):
                target = urljoin(url, response.headers["location"])
                if target.startswith(CALLBACK):
                    return target
                url = target
                continue
            form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            assert form, response.text[:500]
            posted = browser.post(urljoin(url, html.unescape(form.group(1))),
                                  data={"prompt": "login", "login": login, "password": "x"})
            url = urljoin(url, posted.headers["location"])
    raise AssertionError("the provider never sent the user back")


def callback(client: Client, url: str):
    return client.get(url[len("http://testserver"):])


def test_code_flow_logs_in_with_pkce_state_and_nonce(sso):
    from vendorvet.web.accounts.models import Membership

    client = Client()
    auth_url = start(client)
    for param in ("code_challenge=", "code_challenge_method=S256", "state=", "nonce=", "login_hint=kai"):
        assert param in auth_url
    response = callback(client, provider_login(auth_url))
    assert response.status_code == 302 and response.url == reverse("dashboard:home")
    assert client.get(response.url).status_code == 200
    assert Membership.all_tenants.get(user__email="kai@nordlicht.test").role == "assessor"


def test_answer_with_a_foreign_state_is_refused(sso):
    client = Client()
    back = provider_login(start(client))
    forged = re.sub(r"state=[^&]+", "state=forged", back)
    response = callback(client, forged)
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    # nor can the real answer be replayed afterwards: the sign-in was used up
    assert "_auth_user_id" not in callback(client, back).client.session


def test_id_token_with_another_nonce_is_refused(sso):
    client = Client()
    back = provider_login(start(client))
    session = client.session
    session["vv_sso"]["nonce"] = "not-the-nonce-sent"
    session.save()
    response = callback(client, back)
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert "Single sign-on with Nordlicht Login did not work" in client.get(reverse("accounts:login")).content.decode()


def test_wrong_client_secret_is_refused_by_the_provider(sso):
    sso.client_secret = "wrong-secret"
    sso.save()
    client = Client()
    response = callback(client, provider_login(start(client)))
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Single sign-on with Nordlicht Login did not work" in page
    assert "wrong-secret" not in page


def test_loopback_issuer_is_refused_without_the_operators_switch(sso, settings, caplog):
    settings.VENDORVET_SSO_ALLOW_LOOPBACK = False
    client = Client()
    response = client.post(reverse("sso:start"), {"organisation": "nordlicht"})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "must use https" in caplog.text  # the reason is in the operator's log


def test_metadata_address_is_refused_by_the_ssrf_guard(settings):
    from vendorvet.web.accounts.sso.http import ProviderError, request_json

    settings.VENDORVET_SSO_ALLOW_LOOPBACK = True
    for url in ("https://169.254.169.254/.well-known/openid-configuration", "https://10.1.2.3/x"):
        with pytest.raises(ProviderError, match="refused by the SSRF guard"):
            request_json("GET", url)


def test_cli_sets_provider_reads_secret_from_stdin_and_never_prints_it(tenant_a, capsys, monkeypatch):
    import io

    from vendorvet.cli.main import main
    from vendorvet.web.accounts.sso.models import SsoProvider

    monkeypatch.setattr("sys.stdin", io.StringIO("s3cr3t-from-stdin\n"))
    assert main(["sso", "set", "--tenant", tenant_a.slug, "--issuer", "https://login.example.com/realms/acme",
                 "--client-id", "vendorvet", "--client-secret-stdin", "--name", "Keycloak",
                 "--map", "vv-admins=admin", "--map", "Auditors (read)=auditor", "--domain", "acme.example",
                 "--local-login", "refused"]) == 0
    provider = SsoProvider.objects.get(tenant=tenant_a)
    assert provider.client_secret == "s3cr3t-from-stdin"
    assert provider.role_mapping == {"vv-admins": "admin", "Auditors (read)": "auditor"}
    assert not provider.allow_local_login
    assert main(["sso", "show", "--tenant", tenant_a.slug]) == 0
    out = capsys.readouterr().out
    assert "s3cr3t" not in out and "client_secret  set" in out
    # a change without the secret keeps it; bad input changes nothing
    assert main(["sso", "set", "--tenant", tenant_a.slug, "--name", "Acme Keycloak"]) == 0
    assert main(["sso", "set", "--tenant", tenant_a.slug, "--map", "x=superuser"]) == 1
    assert main(["sso", "set", "--tenant", tenant_a.slug, "--issuer", "http://login.example.com"]) == 1
    provider.refresh_from_db()
    assert provider.client_secret == "s3cr3t-from-stdin" and provider.name == "Acme Keycloak"
    assert provider.issuer == "https://login.example.com/realms/acme"
    assert "s3cr3t" not in capsys.readouterr().err


def test_admin_form_never_shows_the_secret(tenant_a, django_user_model):
    from vendorvet.web.accounts.sso.models import SsoProvider

    provider = SsoProvider.objects.create(tenant=tenant_a, name="Entra", issuer="https://login.example.com/t",
                                          client_id="cid", client_secret="very-secret-value",
                                          role_mapping={"g": "admin"})
    operator = django_user_model.objects.create_superuser("op", "op@example.test", "op-password-123456")
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("admin:vv_sso_ssoprovider_change", args=[provider.pk]))
    assert page.status_code == 200
    assert "very-secret-value" not in page.content.decode()
    assert "g = admin" in page.content.decode()


def test_operator_admin_lists_second_factors_without_their_secrets(admin_a, django_user_model):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_a, name="Phone", confirmed=True)
    operator = django_user_model.objects.create_superuser("op", "op@example.test", "op-password-123456")
    client = Client()
    client.force_login(operator)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "Phone" in listing
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert device.key not in page and device.key not in listing
    assert client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
