"""The questionnaires' German catalogue is complete, keeps every placeholder and is compiled."""

from __future__ import annotations

import re
from pathlib import Path

import vendorvet.web.questionnaires as package
from tests.web.test_i18n import _entries, _unescape

LOCALE = Path(package.__file__).parent / "locale" / "de" / "LC_MESSAGES"


def test_every_message_is_translated_with_its_placeholders_and_compiled():
    import gettext

    entries = list(_entries((LOCALE / "django.po").read_text(encoding="utf-8")))
    assert len(entries) > 150
    compiled = gettext.GNUTranslations(open(LOCALE / "django.mo", "rb"))._catalog
    for flags, msgid, strs in entries:
        if not msgid:
            continue
        assert "fuzzy" not in flags and all(strs), msgid
        wanted = set(re.findall(r"%\(\w+\)[sdr]", msgid)) - {"%(n)s"}  # the count may stay implicit ("einen")
        for s in strs:
            assert set(re.findall(r"%\(\w+\)[sdr]", s)) - {"%(n)s"} == wanted, msgid
        if len(strs) == 1:
            assert compiled.get(_unescape(msgid)) == _unescape(strs[0]), f"stale .mo for {msgid!r}"
