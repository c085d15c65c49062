"""Hook point for the security audit log: sent whenever a user's second factors change.

Receivers get ``sender`` (the model class touched), ``user`` (whose factors changed), ``action`` (one of
``ACTIONS``), ``detail`` (a short, secret-free description such as the device name) and ``request`` (or None).
"""

from django.dispatch import Signal

ACTIONS = ("totp_added", "totp_removed", "passkey_added", "passkey_removed", "recovery_codes_generated",
           "recovery_code_used", "policy_changed")

mfa_changed = Signal()
