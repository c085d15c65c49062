"""Every content file is versioned, names its public source, and is internally consistent."""

from __future__ import annotations

from importlib import resources

import pytest

from vendorvet import content

CONTENT_FILES = sorted(p.name[:-5] for p in resources.files("vendorvet.content").iterdir() if p.name.endswith(".yaml"))


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_every_file_has_version_and_source(name):
    data = content.load(name)
    assert str(data["version"]).strip()
    assert "http" in str(data["source"]) or "ISO" in str(data["source"])


def test_countries_cover_iso_3166_with_german_names():
    countries = content.load("countries")["countries"]
    assert len(countries) >= 249
    assert countries["DE"] == {"en": "Germany", "de": "Deutschland"}
    assert countries["US"]["de"] == "Vereinigte Staaten"
    assert all(len(code) == 2 and code.isupper() for code in countries)
    assert all(entry.get("en") and entry.get("de") for entry in countries.values())


def test_tier_rules_have_both_languages_and_valid_tiers():
    rules = content.load("tiering")["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["tier"] in (1, 2, 3, 4)
        assert rule["reason"]["en"] and rule["reason"]["de"]


@pytest.mark.parametrize(
    "text",
    ["version: '1'\nitems: []\n", "source: https://example.org\n", "- just\n- a list\n", "version: [unclosed\n"],
)
def test_a_file_without_version_or_source_or_malformed_is_rejected(text):
    with pytest.raises(content.ContentError):
        content.parse("broken", text)


def test_a_valid_document_parses():
    assert content.parse("ok", "version: '1'\nsource: https://example.org\nitems: [a]\n")["items"] == ["a"]
