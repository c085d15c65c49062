"""The reports app's German catalogue is complete and compiled, and the German documents use it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import vendorvet.web.reports as reports_package

LOCALE = Path(reports_package.__file__).parent / "locale" / "de" / "LC_MESSAGES"


def test_every_message_is_translated_and_compiled():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    assert len(entries) > 150
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        for msgstr in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entry, flags=re.M):
            assert msgstr, entry
    with open(LOCALE / "django.mo", "rb") as fh:  # compiled from this .po (msgfmt -o django.mo django.po)
        compiled = gettext.GNUTranslations(fh)
    assert compiled.gettext("Audit pack") == "Prüfpaket"
    assert compiled.gettext("SHA-256 of the content data") == "SHA-256 der Inhaltsdaten"


def test_german_citation_style_for_the_dpa_points():
    from vendorvet.web.reports.audit_pack import german_article

    assert german_article("Art. 28(3)(a)", "de") == "Art. 28 Abs. 3 lit. a DSGVO"
    assert german_article("Art. 28(3) sentence 1", "de") == "Art. 28 Abs. 3 Satz 1 DSGVO"
    assert german_article("Art. 28(9)", "en") == "Art. 28(9) GDPR"
