"""The answer sheet's forms: a rejected evidence file is reported next to its field (not as a message at the top
of the page), every evidence field has a label, and the sheet lists its checklist sections as anchors."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.assessments.test_web_api import answer_of
from vendorvet.web.assessments.models import Evidence

pytestmark = pytest.mark.django_db


def test_rejected_evidence_is_shown_next_to_its_field(login, assessor_a, started, media_root):
    answer = answer_of(started)
    client = login(assessor_a)
    response = client.post(reverse("assessments:evidence_upload", args=[answer.pk]),
                           {f"e{answer.pk}-file": SimpleUploadedFile("page.html", b"<html></html>")})
    assert response.status_code == 400
    html = response.content.decode()
    card = html[html.index(f'id="answer-{answer.pk}"'):]
    card = card[:card.index("</article>")]
    field = f"id_e{answer.pk}-file"
    assert f'aria-describedby="{field}-error"' in card and "autofocus" in card
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', card, re.S)
    assert error is not None and "not accepted" in error.group(1)
    assert '<ul class="messages">' not in html  # not 2,000 px above the field
    assert html.count("autofocus") == 1
    assert Evidence.all_tenants.count() == 0


def test_every_field_on_the_sheet_has_a_label_and_sections_are_listed(login, assessor_a, started):
    html = login(assessor_a).get(started.get_absolute_url()).content.decode()
    labels = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
    for tag in re.finditer(r'<(input|textarea|select)\b([^>]*)>', html):
        attrs = tag.group(2)
        if re.search(r'type="(hidden|radio|checkbox|submit)"', attrs):
            continue
        ident = re.search(r'\bid="([^"]+)"', attrs)
        assert ident and (ident.group(1) in labels or "aria-label" in attrs), tag.group(0)
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        for ident in described.split():
            assert f'id="{ident}"' in html, ident
    sections = re.findall(r'<a href="#(section-\d+)">', html)
    assert len(sections) >= 2
    for anchor in sections:
        assert f'id="{anchor}"' in html
    assert "data-save-all-button" in html
