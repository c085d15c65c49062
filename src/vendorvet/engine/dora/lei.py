"""Legal Entity Identifiers (ISO 17442): 20 characters — 18 upper-case letters or digits, then two check digits
computed per ISO 7064 MOD 97-10 (letters count as 10 … 35, the whole number mod 97 must be 1)."""

from __future__ import annotations

import re

LEI_SHAPE = re.compile(r"^[0-9A-Z]{18}[0-9]{2}$")


def _as_number(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def is_valid(lei: str) -> bool:
    """True when ``lei`` has the ISO 17442 shape and its check digits are right."""
    return bool(LEI_SHAPE.match(lei or "")) and _as_number(lei) % 97 == 1


def problem(lei: str) -> str:
    """Empty when valid; else "length", "characters" or "check_digits" (what is wrong with it)."""
    if len(lei or "") != 20:
        return "length"
    if not LEI_SHAPE.match(lei):
        return "characters"
    return "" if _as_number(lei) % 97 == 1 else "check_digits"


def with_check_digits(base: str) -> str:
    """The LEI for an 18-character base (prefix and entity part): appends the two check digits."""
    base = base.upper()
    if not re.fullmatch(r"[0-9A-Z]{18}", base):
        raise ValueError("an LEI base has 18 letters or digits")
    return base + f"{98 - _as_number(base + '00') % 97:02d}"
