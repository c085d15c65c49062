"""The route contract, driven by the URL resolver: every route of the URL map (web and API, walked recursively)
is found without anyone listing it, so a new view is checked the moment it is mounted.

``anonymous_guard_failures`` requests every route without credentials and reports each one that answers with
anything but a redirect to a login page, 401 or 403 — except the few routes in ``PUBLIC_ROUTES``, which must
stay tiny and named. Every response must carry the Content-Security-Policy header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Routes anyone may open without logging in: why each one is public.
PUBLIC_ROUTES = {
    "accounts:login": "the login page itself",
    "set_language": "choosing the language works before logging in (Django's view)",
    "admin:login": "the operators' login page",
    "admin:logout": "logging out of the admin (sends a visitor who is not logged in to the admin index)",
    "inventory:home": "a bare redirect to the dashboard (which is guarded)",
    "api:root": "a bare redirect to the API docs",
    "api:docs": "the interactive API documentation page (it holds no data; requests from it need a token)",
    "api:schema": "the OpenAPI description of the API (no data)",
    "accounts:password_reset": "asking for a reset link (same answer for known and unknown addresses)",
    "accounts:password_reset_done": "the 'mail sent' notice after asking for a reset link",
    "accounts:password_reset_confirm": "the reset link from the e-mail (signed, single use)",
    "accounts:password_reset_complete": "the 'password changed' notice after a reset",
    "mfa:passkey_login_options": "the passkey challenge of the login's second step (needs the pending login of "
                                 "a correct password; 400 without it)",
    "mfa:passkey_login": "the passkey answer of the login's second step (needs the pending login; 400 without it)",
    "accounts:invitation_accept": "the invitation link from the e-mail (keyed hash, expiring, single use)",
    "questionnaires:portal": "the vendor's questionnaire page: the personal link (signed, keyed hash, expiring, "
                             "revocable, throttled) opens exactly one questionnaire; refused links get one neutral page",
}

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rxname>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    pattern: str  # the full pattern, e.g. "integrations/<int:pk>/edit/"
    name: str  # namespaced URL name, e.g. "inventory:integration_edit" ("" when unnamed)
    callback: object

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """(name, converter) of each URL parameter; regex groups (the API router's) count as ``pk``-like."""
        out = []
        for m in PARAMETER.finditer(self.pattern):
            if m.group("rxname"):
                out.append((m.group("rxname"), "int" if m.group("rxname").endswith("pk") else "str"))
            else:
                out.append((m.group("name"), m.group("converter") or "str"))
        return out

    @property
    def takes_ids(self) -> bool:
        return any(conv == "int" for _name, conv in self.parameters)

    def url(self, number: int = 1, text: str = "x") -> str:
        """A concrete URL: every integer parameter set to ``number``, every other one to ``text``."""

        def fill(m: re.Match) -> str:
            name = m.group("rxname") or m.group("name")
            converter = "int" if (m.group("rxname") and name.endswith("pk")) else (m.group("converter") or "str")
            return str(number) if converter == "int" else text

        path = PARAMETER.sub(fill, self.pattern).replace("^", "").replace("$", "")
        return "/" + path

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.pattern}"


def _walk(resolver: URLResolver, prefix: str, namespace: str | None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield Route(prefix + str(entry.pattern), name, entry.callback)


def all_routes(urlconf: str | None = None) -> list[Route]:
    return list(_walk(get_resolver(urlconf), "", None))


def _login_urls() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return response.headers.get("Location", "").split("?")[0] in _login_urls()
    return False


def _request(client: Client, method: str, url: str):
    return getattr(client, method)(url) if method == "get" else getattr(client, method)(url, data={})


def anonymous_guard_failures(urlconf: str | None = None) -> list[str]:
    """Every route an anonymous visitor can use (beyond ``PUBLIC_ROUTES``), and every response without a CSP."""
    client = Client()
    failures = []
    for route in all_routes(urlconf):
        url = route.url()
        response = _request(client, "get", url)
        if response.status_code == 405:  # answers only other methods: ask with the one it takes
            response = _request(client, "post", url)
        if "Content-Security-Policy" not in response.headers:
            failures.append(f"{route}: no Content-Security-Policy header (HTTP {response.status_code})")
        if route.name in PUBLIC_ROUTES:
            continue
        if not _refused(response):
            failures.append(f"{route}: anonymous request answered HTTP {response.status_code}"
                            f" {response.headers.get('Location', '')}".rstrip())
    return failures
