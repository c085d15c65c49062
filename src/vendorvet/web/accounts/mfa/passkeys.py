"""WebAuthn relying party (py_webauthn): registration and assertion ceremonies for passkeys.

The relying-party id is the host name the user sees (validated by ``ALLOWED_HOSTS``) and the expected origin is
scheme + host of the request, so the same code works behind a TLS proxy (``VENDORVET_HTTPS``) and on localhost.
Challenges live in the session and are used once.
"""

from __future__ import annotations

import json
import secrets

from django.utils import timezone
from webauthn import (generate_authentication_options, generate_registration_options, options_to_json,
                      verify_authentication_response, verify_registration_response)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor,
                                      ResidentKeyRequirement, UserVerificationRequirement)

from vendorvet.web.accounts.mfa.models import Passkey

REGISTER_KEY = "vv_webauthn_register"
LOGIN_KEY = "vv_webauthn_login"
RP_NAME = "vendorvet"


class PasskeyError(ValueError):
    """The browser's answer did not verify (wrong challenge, origin, signature, unknown credential …)."""


def rp_id(request) -> str:
    host = request.get_host()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _descriptors(user) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in Passkey.objects.filter(user=user)]


def registration_options(request, user) -> str:
    options = generate_registration_options(
        rp_id=rp_id(request), rp_name=RP_NAME, user_name=user.get_username(),
        user_id=f"vv-user-{user.pk}".encode(), user_display_name=user.get_full_name() or user.get_username(),
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED),
    )
    request.session[REGISTER_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _credential_text(body: bytes) -> str:
    if len(body) > 64 * 1024:
        raise PasskeyError("answer too large")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise PasskeyError("not JSON") from exc
    if not isinstance(data, dict):
        raise PasskeyError("not a credential")
    return json.dumps(data)


def register(request, user, body: bytes, name: str) -> Passkey:
    challenge = request.session.pop(REGISTER_KEY, None)
    if not challenge:
        raise PasskeyError("no registration in progress")
    try:
        verified = verify_registration_response(
            credential=_credential_text(body), expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id(request), expected_origin=origin(request))
    except InvalidRegistrationResponse as exc:
        raise PasskeyError(str(exc)) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyError("this passkey is already registered")
    transports = json.loads(body).get("response", {}).get("transports") or []
    return Passkey.objects.create(
        user=user, name=(name or "Passkey")[:100], credential_id=credential_id,
        public_key=bytes_to_base64url(verified.credential_public_key), sign_count=verified.sign_count,
        transports=[t for t in transports if isinstance(t, str)][:8])


def authentication_options(request, user) -> str:
    options = generate_authentication_options(rp_id=rp_id(request), allow_credentials=_descriptors(user),
                                              user_verification=UserVerificationRequirement.PREFERRED)
    request.session[LOGIN_KEY] = {"challenge": bytes_to_base64url(options.challenge), "uid": user.pk}
    return options_to_json(options)


def authenticate(request, user, body: bytes) -> Passkey:
    state = request.session.pop(LOGIN_KEY, None)
    if not state or state.get("uid") != user.pk:
        raise PasskeyError("no passkey sign-in in progress")
    text = _credential_text(body)
    raw_id = json.loads(text).get("rawId") or json.loads(text).get("id") or ""
    passkey = Passkey.objects.filter(user=user, credential_id=str(raw_id)).first()
    if passkey is None:
        raise PasskeyError("unknown passkey")
    try:
        verified = verify_authentication_response(
            credential=text, expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=rp_id(request), expected_origin=origin(request),
            credential_public_key=base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count)
    except InvalidAuthenticationResponse as exc:
        raise PasskeyError(str(exc)) from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used"])
    return passkey


def new_name() -> str:
    return f"Passkey {secrets.token_hex(2)}"
