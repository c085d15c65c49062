"""core.texts: the one place that puts engine and content texts, citations, numbers and stored structures into
the reader's language — and a refused request is one log line, not a traceback."""

from __future__ import annotations

import logging

import pytest
from django.utils import translation

from vendorvet.engine.reference import country_in, german_act
from vendorvet.web.core import texts
from vendorvet.web.core.engine_texts import retranslate


@pytest.mark.parametrize("args, kwargs, de, en", [
    ((28, 3, "a"), {}, "Art. 28 Abs. 3 lit. a DSGVO", "Art. 28(3)(a) GDPR"),
    ((30, 1, "b"), {}, "Art. 30 Abs. 1 lit. b DSGVO", "Art. 30(1)(b) GDPR"),
    ((28, 3), {"sentence": 1}, "Art. 28 Abs. 3 Satz 1 DSGVO", "Art. 28(3), sentence 1 GDPR"),
    ((46, 2, "c"), {}, "Art. 46 Abs. 2 lit. c DSGVO", "Art. 46(2)(c) GDPR"),
    ((21, 2, "d"), {"law": "NIS2"}, "Art. 21 Abs. 2 lit. d NIS-2-Richtlinie", "Art. 21(2)(d) NIS2 Directive"),
])
def test_cite_in_both_styles(args, kwargs, de, en):
    assert texts.cite(*args, **kwargs, language="de") == de
    assert texts.cite(*args, **kwargs, language="en") == en


def test_english_citations_in_a_text_become_german():
    assert texts.citation("Art. 28(3) sentence 1 GDPR", "de") == "Art. 28 Abs. 3 Satz 1 DSGVO"
    assert texts.citation("Art. 28(3) last subparagraph GDPR", "de") == "Art. 28 Abs. 3 UAbs. 2 DSGVO"
    assert texts.citation("see GDPR Art. 28(3)(h).", "de") == "see Art. 28 Abs. 3 lit. h DSGVO."
    assert texts.citation("Art. 28(3)(h) GDPR", "en") == "Art. 28(3)(h) GDPR"


def test_countries_take_their_article_in_german():
    assert country_in("US", "de") == "in den Vereinigten Staaten"
    assert country_in("CH", "de") == "in der Schweiz"
    assert country_in("GB", "de") == "im Vereinigten Königreich"
    assert country_in("DE", "de") == "in Deutschland"
    assert country_in("US", "en", with_code=True) == "in the United States (US)"


def test_legal_acts_by_their_german_names():
    assert german_act("Commission Implementing Decision (EU) 2021/914") == \
        "Durchführungsbeschluss (EU) 2021/914 der Kommission"
    assert german_act("EDPB Recommendations 01/2020") == "EDSA-Empfehlungen 01/2020"


def test_numbers_in_the_readers_locale():
    with translation.override("de"):
        assert texts.number("-12.5") == "−12,5"
        assert texts.number(6.25, 2) == "6,25"
    with translation.override("en"):
        assert texts.number("-12.5") == "−12.5"


def test_stored_structures_read_as_text():
    with translation.override("de"):
        assert texts.human({"data_categories": ["personal"]}) == "Datenkategorien: Personenbezogene Daten"
        assert texts.human({"grade": "", "score": None}) == "Note: —; Punktzahl: —"
        reasons = [{"rule": "data.financial", "tier": 2, "text": {"en": "financial data", "de": "Finanzdaten"}}]
        assert texts.human(reasons) == "Finanzdaten (Stufe 2)"
        assert texts.human_diff("data_categories", [], ["personal"]) == "Datenkategorien: + Personenbezogene Daten"
        for shown in (texts.human({"apps": [], "grants_total": 0}), texts.human(True), texts.human(None)):
            assert "{" not in shown and "[" not in shown and "None" not in shown and "True" not in shown


def test_engine_lines_in_german():
    with translation.override("de"):
        assert texts.engine_text("capped at F: certificate chain not trusted (T: not trusted)") == \
            "begrenzt auf F: Zertifikatskette nicht vertrauenswürdig (T: nicht vertrauenswürdig)"
        assert texts.engine_text("no grade: TLS could not be scanned (the TLS checks were not selected)") == \
            "keine Note: TLS konnte nicht geprüft werden (die TLS-Prüfungen waren nicht ausgewählt)"
        assert "--" not in texts.engine_text(
            "refused by the SSRF guard: a.test → 10.0.0.1 is private (RFC 1918); use --allow-private to scan "
            "internal systems deliberately")
        assert retranslate("No scan of this integration has finished yet.") != \
            "No scan of this integration has finished yet."
        assert texts.engine_text("a vendor's own sentence") == "a vendor's own sentence"
    with translation.override("en"):
        line = "capped at F: certificate chain not trusted (T: not trusted)"
        assert texts.engine_text(line) == line


def test_status_words():
    with translation.override("de"):
        assert texts.status_label("error") == "konnte nicht laufen"
        assert texts.status_label("not_applicable") == "nicht anwendbar"


@pytest.mark.django_db
def test_a_refused_request_is_one_log_line(assessor_a, caplog):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    assert client.login(username=assessor_a.get_username(), password=PASSWORD)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/monitoring/rules/").status_code == 403  # an assessor may not manage alert rules
    refusals = [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", 0) == 403]
    assert refusals, caplog.text  # still logged: one line ...
    assert all(r.exc_info is None for r in refusals) and "Traceback" not in caplog.text  # ... no traceback


@pytest.mark.django_db
def test_a_visit_to_the_api_docs_logs_no_schema_warnings(admin_a, capsys, caplog):
    from django.test import Client

    from tests.conftest import PASSWORD

    client = Client()
    assert client.login(username=admin_a.get_username(), password=PASSWORD)
    with caplog.at_level(logging.WARNING):
        assert client.get("/api/docs/").status_code == 200
        assert client.get("/api/schema/").status_code == 200
    captured = capsys.readouterr()
    assert "Warning" not in captured.err and "Error [" not in captured.err, captured.err[:2000]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text[:2000]
