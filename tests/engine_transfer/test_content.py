"""Content validation for content/eea_adequacy.yaml: EEA, adequacy decisions, SCC modules."""

from __future__ import annotations

import datetime as dt
import re

from vendorvet import content
from vendorvet.engine.transfer import ADEQUACY_CONDITIONS, load_content

DATA = content.load("eea_adequacy")
ISO = set(content.load("countries")["countries"])
EU27 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}


def test_eea_is_eu27_plus_iceland_liechtenstein_norway():
    assert all(isinstance(c, str) and len(c) == 2 for c in [*DATA["eu"], *DATA["eea_efta"]])  # no YAML `NO: false`
    assert set(DATA["eu"]) == EU27 and len(DATA["eu"]) == 27
    assert set(DATA["eea_efta"]) == {"IS", "LI", "NO"}
    assert load_content().eea == EU27 | {"IS", "LI", "NO"}
    assert "CH" not in load_content().eea and "GB" not in load_content().eea


def test_every_country_code_is_iso_3166_1():
    codes = [*DATA["eu"], *DATA["eea_efta"], *(e["code"] for e in DATA["adequacy"] if e.get("code")),
             *DATA["aliases"].values(), *DATA["extraterritorial_access"]]
    assert codes and all(c in ISO for c in codes), [c for c in codes if c not in ISO]
    assert "EL" not in ISO and "UK" not in ISO  # the aliases really are non-ISO spellings


def test_every_adequacy_entry_has_reference_date_scope_and_source():
    seen = set()
    for entry in DATA["adequacy"]:
        key = entry.get("code") or entry.get("body")
        assert key and key not in seen, key
        seen.add(key)
        assert re.search(r"\d{4}/\d+", entry["decision"]), key
        assert isinstance(entry["adopted"], dt.date) and entry["adopted"] <= dt.date(2026, 12, 31), key
        assert entry["url"].startswith("https://eur-lex.europa.eu/eli/"), key
        assert entry["scope"]["en"] and entry["scope"]["de"], key
        assert entry["name"]["en"] and entry["name"]["de"], key
        assert entry["condition"] in ADEQUACY_CONDITIONS, key
        if entry.get("verified") is False:
            assert entry["note"]["en"] and entry["note"]["de"], key


def test_the_decisions_the_issue_names_are_there_with_their_scope():
    by = {e.get("code") or e.get("body"): e for e in DATA["adequacy"]}
    expected = {"AD", "AR", "CA", "FO", "GG", "IM", "JE", "IL", "UY", "NZ", "CH", "JP", "KR", "GB", "US", "BR",
                "european_patent_organisation"}
    assert set(by) == expected
    assert by["CA"]["condition"] == "canada_pipeda"
    assert by["US"]["condition"] == "dpf" and "2023/1795" in by["US"]["decision"]
    assert by["JP"]["condition"] == "private_sector"
    assert by["GB"]["valid_until"] == dt.date(2031, 12, 27)
    assert "2025/1382" in by["european_patent_organisation"]["decision"]
    assert "2026/179" in by["BR"]["decision"] and by["BR"]["adopted"] == dt.date(2026, 1, 26)


def test_no_adequacy_country_is_in_the_eea():
    assert not (set(load_content().adequacy) & load_content().eea)


def test_four_scc_modules_in_both_languages():
    modules = DATA["scc"]["modules"]
    assert sorted(modules) == [1, 2, 3, 4]
    assert all(m["en"] and m["de"] for m in modules.values())
    assert "2021/914" in DATA["scc"]["decision"]
