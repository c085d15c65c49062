"""Typed evidence (issue 12): the facts other parts read are parsed from the checks' real evidence, keyed by the
fact they carry — whichever check reports it."""

from __future__ import annotations

import datetime as dt

from vendorvet.engine.evidence import FACTS, ApiLifecycle, CertificateValidity, RateLimitPolicy, ServerCountries


def test_certificate_validity_from_both_certificate_checks_and_not_from_others():
    expired = {"not_after": "2031-05-01T12:00:00+00:00", "subject": "CN=api.vendor.test"}
    expiring = {"days_left": 20, "not_after": "2031-05-01T12:00:00+00:00"}
    assert CertificateValidity.from_evidence(expired) == CertificateValidity.from_evidence(expiring)
    validity = CertificateValidity.from_evidence(expired)
    assert validity.expires_on == dt.date(2031, 5, 1) and validity.to_evidence() == {"not_after": expired["not_after"]}
    assert CertificateValidity.from_evidence({"certificates": [{"not_after": "2020-01-01"}]}) is None
    assert CertificateValidity.from_evidence(None) is None
    assert CertificateValidity.from_evidence({"not_after": "soon"}).expires_on is None


def test_server_countries_parse_the_location_evidence():
    evidence = {"addresses": [{"address": "192.0.2.1", "country": "de", "public": True},
                              {"address": "10.0.0.1", "country": "", "public": False},
                              {"address": "198.51.100.7", "country": "US", "public": True}],
                "countries": ["DE", "US"], "outside_eea": ["US"], "source": "rir"}
    countries = ServerCountries.from_evidence(evidence)
    assert countries.countries == ("DE", "US") and countries.public_countries() == ["DE", "US"]
    assert countries.to_evidence() == {"countries": ["DE", "US"]}
    assert countries.outside_eea_among({"US"}) == {"US"} and countries.outside_eea_among(set()) == set()
    # older evidence without ``outside_eea``: the check's own EEA list decides
    older = ServerCountries.from_evidence({"countries": ["FR", "JP"]})
    assert older.outside_eea is None and older.outside_eea_among({"FR", "JP"}) == {"JP"}
    assert ServerCountries.from_evidence({"format": "x"}) is None


def test_rate_limit_and_lifecycle_keep_the_stored_shape():
    limit = RateLimitPolicy.from_evidence({"format": "ietf-draft-10", "limit": 100, "policies": []})
    assert limit.to_evidence() == {"format": "ietf-draft-10", "limit": 100}
    assert RateLimitPolicy.from_evidence({"url": "https://api.vendor.test/"}) is None
    lifecycle = ApiLifecycle.from_evidence({"deprecation": "@1700000000", "sunset": None, "documentation": []})
    assert lifecycle.to_evidence() == {"deprecation": "@1700000000", "sunset": None}
    assert set(FACTS) == {"certificate_validity", "server_countries", "rate_limit_policy", "api_lifecycle"}
