"""German and English: the catalogue is complete and pages render in the chosen language."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(flags, msgid, [msgstr…]) of every entry of a .po file (obsolete entries skipped)."""
    blocks = re.split(r"\n\s*\n", text)
    for block in blocks:
        lines = [ln for ln in block.splitlines() if not ln.startswith("#~")]
        if not any(ln.startswith("msgid ") for ln in lines):
            continue
        flags = " ".join(ln for ln in lines if ln.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for ln in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$', ln)
            if m:
                current = m.group(1)
                fields[current] = m.group(2)
            elif ln.startswith('"') and current:
                fields[current] += ln[1:-1]
        strs = [v for k, v in fields.items() if k.startswith("msgstr")]
        msgid = fields.get("msgid", "")
        if "msgctxt" in fields and msgid:  # gettext keys a text with a context as "context\x04msgid"
            msgid = fields["msgctxt"] + "\\x04" + msgid
        yield flags, msgid, strs


def test_german_catalogue_is_complete_and_compiled():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = list(_entries(text))
    assert len(entries) > 300
    problems = []
    for flags, msgid, strs in entries:
        if msgid == "":
            assert "fuzzy" not in flags, "the catalogue header is marked fuzzy"
            continue
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid}")
        if not strs or any(s == "" for s in strs):
            problems.append(f"empty: {msgid}")
    assert not problems, problems[:20]
    # the compiled catalogue matches the .po (else: run compilemessages)
    with CATALOGUE.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    for _flags, msgid, strs in entries:
        if msgid and len(strs) == 1:
            assert compiled.get(_unescape(msgid)) == _unescape(strs[0]), f"stale .mo for {msgid!r}"


def _unescape(po_string: str) -> str:
    return ast.literal_eval(f'"{po_string}"')


def test_placeholders_survive_translation():
    for _flags, msgid, strs in _entries(CATALOGUE.read_text(encoding="utf-8")):
        wanted = sorted(re.findall(r"%\(\w+\)[sdr]", msgid))
        for s in strs:
            assert sorted(set(re.findall(r"%\(\w+\)[sdr]", s))) == sorted(set(wanted)), msgid


def test_pages_render_in_german_with_accept_language(admin_a, inventory_a, login):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("inventory:integration_list")).content.decode()
    assert '<html lang="de">' in html
    for german in ("Integrationen", "Anbieter", "Änderungsprotokoll", "Abmelden", "Freigegeben", "Stufe",
                   "Personenbezogene Daten", "Suche", "Alle"):
        assert german in html, german
    detail = client.get(reverse("inventory:integration_detail", args=[inventory_a["Payroll Export"].pk]))
    text = detail.content.decode()
    assert "Kritikalitätsstufe" in text and "mindestens Stufe" in text and "Bearbeiten" in text
    form = client.get(reverse("inventory:integration_edit", args=[inventory_a["Payroll Export"].pk])).content.decode()
    assert "Betroffene Personen" in form and "Speichern" in form and "Deutschland" in form


def test_language_switch_with_set_language_cookie(admin_a, inventory_a, login):
    client = login(admin_a)
    assert "Change log" in client.get(reverse("inventory:integration_list")).content.decode()
    response = client.post("/i18n/setlang/", {"language": "de", "next": reverse("inventory:change_list")})
    assert response.status_code == 302 and response["Location"] == reverse("inventory:change_list")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    html = client.get(reverse("inventory:change_list")).content.decode()
    assert "Änderungsprotokoll" in html and "Geändert durch" in html and "Objekttyp" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Change log" in client.get(reverse("inventory:change_list")).content.decode()


def test_login_page_in_german(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Anmelden" in html and "Benutzername" in html and "Deutsch" in html


def test_history_in_german_uses_german_field_labels(admin_a, inventory_a, login):
    from tests.conftest import acting

    crm = inventory_a["Acme CRM"]
    with acting(crm.tenant, admin_a):
        crm.department = "Vertrieb"
        crm.status = "rejected"
        crm.save()
    html = login(admin_a, HTTP_ACCEPT_LANGUAGE="de").get(
        reverse("inventory:integration_history", args=[crm.pk])).content.decode()
    assert "Abteilung" in html and "Abgelehnt" in html and "Freigegeben" in html
    assert "Benutzer" in html  # actor kind
