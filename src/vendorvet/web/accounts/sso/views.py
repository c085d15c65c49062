"""Start an SSO login from the login page, and finish it when the provider sends the user back."""

from __future__ import annotations

import hmac
import logging
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts.mfa.flow import VERIFIED_KEY
from vendorvet.web.accounts.sso import oidc
from vendorvet.web.accounts.sso.http import ProviderError
from vendorvet.web.accounts.sso.models import SsoProvider
from vendorvet.web.accounts.sso.policy import find_provider
from vendorvet.web.accounts.sso.provisioning import LoginRefused, sign_in
from vendorvet.web.accounts.middleware import SESSION_TENANT_KEY

log = logging.getLogger(__name__)
SESSION_KEY = "vv_sso"
FLOW_SECONDS = 600
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _unavailable(request, provider, exc):
    # the reason goes to the operator's log (it never contains the client secret), the user gets a plain sentence
    log.warning("single sign-on for tenant %s failed: %s", provider.tenant.slug, exc)
    messages.error(request, _("Single sign-on with %(idp)s did not work. Please try again later or ask your "
                              "administrator.") % {"idp": provider.name})
    return redirect("accounts:login")


class StartView(View):
    http_method_names = ["post"]

    def post(self, request):
        typed = request.POST.get("organisation", "")
        provider = find_provider(typed)
        if provider is None:
            messages.error(request, _("No single sign-on is set up for “%(value)s”. Check the spelling, or log in "
                                      "with your user name and password.") % {"value": typed.strip()[:100]})
            return redirect("accounts:login")
        try:
            discovery = oidc.discover(provider.issuer)
        except ProviderError as exc:
            return _unavailable(request, provider, exc)
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier, challenge = oidc.pkce_pair()
        next_url = request.POST.get("next", "")
        request.session[SESSION_KEY] = {"provider": provider.pk, "state": state, "nonce": nonce,
                                        "verifier": verifier, "next": next_url, "at": time.time()}
        url = oidc.authorization_url(discovery, provider.client_id, self.redirect_uri(request),
                                     provider.scope_list(), state, nonce, challenge,
                                     login_hint=typed.strip() if "@" in typed else "")
        # A page that moves on by itself (meta refresh): the CSP's form-action 'self' would block a redirect to the
        # provider straight after a form post.
        return render(request, "accounts/sso_redirect.html", {"url": url, "provider": provider})

    @staticmethod
    def redirect_uri(request) -> str:
        return request.build_absolute_uri(reverse("sso:callback"))


class CallbackView(View):
    def get(self, request):
        started = request.session.pop(SESSION_KEY, None)
        state = request.GET.get("state", "")
        if not started or not state or not hmac.compare_digest(str(started.get("state")), state) \
                or time.time() - started.get("at", 0) > FLOW_SECONDS:
            messages.error(request, _("This single sign-on answer does not belong to a sign-in started here, or it "
                                      "took too long. Please start again."))
            return redirect("accounts:login")
        provider = SsoProvider.objects.select_related("tenant").filter(pk=started["provider"], enabled=True).first()
        if provider is None:
            return redirect("accounts:login")
        if request.GET.get("error"):
            messages.error(request, _("%(idp)s did not sign you in (%(error)s).")
                           % {"idp": provider.name, "error": request.GET["error"][:60]})
            return redirect("accounts:login")
        try:
            discovery = oidc.discover(provider.issuer)
            tokens = oidc.exchange_code(discovery, provider.client_id, provider.client_secret,
                                        request.GET.get("code", ""), StartView.redirect_uri(request),
                                        started["verifier"])
            claims = oidc.verify_id_token(discovery, tokens["id_token"], provider.client_id, started["nonce"])
            if provider.groups_claim not in claims:
                info = oidc.userinfo(discovery, str(tokens.get("access_token") or ""), str(claims["sub"]))
                claims = {**info, **claims}
        except ProviderError as exc:
            return _unavailable(request, provider, exc)
        try:
            user = sign_in(provider, claims)
        except LoginRefused as exc:
            messages.error(request, str(exc))
            return redirect("accounts:login")
        auth_login(request, user, backend=MODEL_BACKEND)
        request.session[VERIFIED_KEY] = "sso"
        request.session[SESSION_TENANT_KEY] = provider.tenant_id
        target = started.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = ""
        return redirect(target or settings.LOGIN_REDIRECT_URL)
