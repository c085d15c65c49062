"""The import/export German catalogue is complete and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import vendorvet.web.inventory.io as io_package

LOCALE = Path(io_package.__file__).parent / "locale" / "de" / "LC_MESSAGES"


def test_every_message_is_translated_and_compiled():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    assert len(entries) > 60
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        for msgstr in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entry, flags=re.M):
            assert msgstr, entry
    assert (LOCALE / "django.mo").is_file()


def test_messages_are_german_when_german_is_active():
    from vendorvet.web.inventory.io.columns import CellError, column_set, parse_cell

    with translation.override("de"), pytest.raises(CellError) as caught:
        parse_cell(column_set().by_key("status"), "kaputt")
    assert str(caught.value) == "Unbekannter Wert „kaputt“."
