"""The OpenID Connect authorization-code flow with PKCE, state and nonce (relying-party side).

The ID token's signature is verified against the provider's published keys (JWKS) with joserfc, and its claims
(issuer, audience, expiry, nonce) are checked before anything is provisioned. Every request to the provider goes
through :mod:`vendorvet.web.accounts.sso.http` (the engine's SSRF guard).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from vendorvet.web.accounts.sso.http import ProviderError, check_url, request_json

SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
LEEWAY = 60


@dataclass
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    token_auth_methods: list[str]


def discover(issuer: str) -> Discovery:
    issuer = issuer.rstrip("/")
    doc = request_json("GET", f"{issuer}/.well-known/openid-configuration")
    if str(doc.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderError("the discovery document names another issuer")
    try:
        found = Discovery(issuer=doc["issuer"], authorization_endpoint=doc["authorization_endpoint"],
                          token_endpoint=doc["token_endpoint"], jwks_uri=doc["jwks_uri"],
                          userinfo_endpoint=doc.get("userinfo_endpoint"),
                          token_auth_methods=list(doc.get("token_endpoint_auth_methods_supported")
                                                  or ["client_secret_basic"]))
    except (KeyError, TypeError):
        raise ProviderError("the discovery document lacks an endpoint") from None
    for url in (found.authorization_endpoint, found.token_endpoint, found.jwks_uri):
        check_url(str(url))
    return found


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorization_url(discovery: Discovery, client_id: str, redirect_uri: str, scopes: list[str], state: str,
                      nonce: str, code_challenge: str, login_hint: str = "") -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "scope": " ".join(scopes), "state": state, "nonce": nonce, "code_challenge": code_challenge,
              "code_challenge_method": "S256"}
    if login_hint:
        params["login_hint"] = login_hint
    sep = "&" if "?" in discovery.authorization_endpoint else "?"
    return f"{discovery.authorization_endpoint}{sep}{urlencode(params)}"


def exchange_code(discovery: Discovery, client_id: str, client_secret: str, code: str, redirect_uri: str,
                  verifier: str) -> dict:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier}
    kwargs: dict = {}
    if "client_secret_basic" in discovery.token_auth_methods:
        kwargs["auth"] = (client_id, client_secret)
    else:
        data.update(client_id=client_id, client_secret=client_secret)
    tokens = request_json("POST", discovery.token_endpoint, data=data, **kwargs)
    if not isinstance(tokens.get("id_token"), str):
        raise ProviderError("the identity provider returned no ID token")
    return tokens


def verify_id_token(discovery: Discovery, id_token: str, client_id: str, nonce: str) -> dict:
    """The ID token's claims, after checking signature, issuer, audience, expiry and nonce."""
    keys = request_json("GET", discovery.jwks_uri)
    try:
        key_set = KeySet.import_key_set(keys)
        token = jwt.decode(id_token, key_set, algorithms=SIGNING_ALGORITHMS)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ProviderError(f"the ID token's signature does not verify ({type(exc).__name__})") from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": discovery.issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise ProviderError(f"the ID token was refused ({exc.error})") from None
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise ProviderError("the ID token was issued to another client")
    return claims


def userinfo(discovery: Discovery, access_token: str, subject: str) -> dict:
    if not discovery.userinfo_endpoint or not access_token:
        return {}
    info = request_json("GET", discovery.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if info.get("sub") != subject:
        raise ProviderError("the user info belongs to another subject")
    return info
