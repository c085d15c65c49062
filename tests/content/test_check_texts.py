"""Every external check has its German title, risk and remediation in content/check_texts.yaml.

Adding a check to the engine (a module under engine/checks, or an OpenAPI audit id) without a German text
fails here, and so does a German text for an id the engine does not know (a renamed or removed check).
"""

from __future__ import annotations

import re

import pytest

from vendorvet import content
from vendorvet.engine import registry
from vendorvet.engine.openapi_audit import CHECK_IDS as OPENAPI_IDS

FIELDS = ("title", "risk", "remediation")
TEXTS = content.load("check_texts")["checks"]
ENGINE_IDS = set(registry.all_checks()) | set(OPENAPI_IDS)


def test_every_registry_and_openapi_id_has_a_german_text_and_no_id_is_unknown():
    assert len(registry.all_checks()) >= 30 and len(OPENAPI_IDS) >= 10  # both sources were really read
    missing = sorted(ENGINE_IDS - set(TEXTS))
    unknown = sorted(set(TEXTS) - ENGINE_IDS)
    assert missing == [], f"checks without a German text in content/check_texts.yaml: {missing}"
    assert unknown == [], f"content/check_texts.yaml names ids the engine does not know: {unknown}"


@pytest.mark.parametrize("check_id", sorted(ENGINE_IDS))
def test_each_check_has_exactly_title_risk_and_remediation_in_german(check_id):
    entry = TEXTS.get(check_id) or {}
    assert sorted(entry) == sorted(FIELDS), f"{check_id}: fields {sorted(entry)}"
    for field in FIELDS:
        text = entry[field]
        assert isinstance(text, str) and text.strip() == text and len(text) >= 4, (check_id, field, text)
        assert "\n" not in text and "  " not in text, (check_id, field, text)
    spec = registry.info(check_id)  # scan checks and OpenAPI rules share one contract, with English texts
    assert spec is not None and spec.risk and spec.remediation, check_id
    assert entry["risk"] != spec.risk and entry["remediation"] != spec.remediation, check_id  # translated


def test_the_texts_are_german():
    """A crude but real guard against English left in the file: common German words in every risk text,
    none of the English function words the originals are full of."""
    english = re.compile(r"\b(the|and|with|without|which|should)\b")
    german = re.compile(r"\b(der|die|das|den|dem|des|und|oder|ein|eine|einen|einem|nicht|mit|ohne|kann|sind|ist)\b",
                        re.I)
    for check_id, entry in TEXTS.items():
        for field in ("risk", "remediation"):
            assert not english.search(entry[field]), (check_id, field, entry[field])
        assert german.search(entry["risk"]), (check_id, entry["risk"])


def test_the_helper_falls_back_to_the_engine_english(settings):
    from django.utils import translation

    from vendorvet.web.core.checktexts import check_text, finding_title

    spec = registry.all_checks()["http.hsts"]
    assert check_text("http.hsts", "remediation", "en") == spec.remediation
    assert check_text("http.hsts", "remediation", "de") == TEXTS["http.hsts"]["remediation"]
    with translation.override("de"):
        assert check_text("tls.vuln.compression", "title") == "Keine TLS-Komprimierung (CRIME)"
        assert finding_title("http.hsts", spec.title) == TEXTS["http.hsts"]["title"]
        assert finding_title("http.hsts", "An older wording") == "An older wording"  # stored text kept
        assert finding_title("no.such.check", "Whatever") == "Whatever"
        assert check_text("openapi.server.http", "title") == "Server über unverschlüsseltes HTTP"
    with translation.override("en"):
        assert check_text("tls.vuln.compression", "title") == "No TLS compression (CRIME)"
        assert check_text("openapi.server.http", "title") == "Plain-HTTP server"
        assert "without encryption" in check_text("openapi.server.http", "risk")  # English readers get one too
        assert check_text("openapi.server.http", "remediation").startswith("List only https://")
        assert check_text("no.such.check", "risk") == ""
    with pytest.raises(ValueError):
        check_text("http.hsts", "detail", "de")
