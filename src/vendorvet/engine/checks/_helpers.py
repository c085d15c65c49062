"""Small helpers shared by checks (not a check: the leading underscore keeps it out of the registry)."""

from __future__ import annotations

from vendorvet.engine.facts import TlsFacts
from vendorvet.engine.models import Verdict, errored

ISO_CRYPTO = {"iso27001_2022": ["A.8.24"], "owasp_asvs_4": ["9.1.2", "9.1.3"]}
ISO_TRANSPORT = {"iso27001_2022": ["A.8.20", "A.8.24"], "owasp_asvs_4": ["9.1.1"]}


def unknown(what: str, facts: TlsFacts, *commands: str) -> Verdict:
    """An ``error`` verdict naming the scan commands that failed and why."""
    reasons = {c: facts.errors[c] for c in commands if c in facts.errors}
    why = "; ".join(f"{c}: {r}" for c, r in reasons.items()) or "no data was returned"
    return errored(f"could not determine {what}: {why}", failed_commands=reasons)
