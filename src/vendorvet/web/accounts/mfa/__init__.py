"""Two-factor authentication: TOTP (django-otp), WebAuthn passkeys (py_webauthn) and recovery codes.

A Django app of its own (label ``vv_mfa``) beside ``accounts``, so its tables and migrations stay separate.
"""
