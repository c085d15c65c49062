"""The review score, worked by hand: every expected number below is spelled out.

Rubric (content/review.yaml 2026.1): points by the requirement's max_tier 4→10, 3→6, 2→4, 1→2;
answer share met 0, partly 0.5, not met 1, unknown 1, n/a 0; findings critical 20, high 10,
medium 5, low 2, info 0; tier factor 1→×2, 2→×1.5, 3→×1.25, 4→×1; score = 100 − Σ, ≥ 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from vendorvet.engine.scoring_review import (
    AnswerInput,
    FindingInput,
    Override,
    add_months,
    certificate_expiry,
    certificate_state,
    compute_score,
    conditions_for,
    grade_for,
    next_review_date,
    rubric,
)


def test_all_met_is_100_and_a():
    result = compute_score(2, [AnswerInput("cert.recognised", "met", 4), AnswerInput("enc.rest", "met", 3)])
    assert (result.score, result.grade, result.lines) == (100, "A", ())


def test_worked_example_tier_3():
    # tier 3 → factor 1.25
    #   cert.iso27001 (max_tier 3 = 6 pts) not met:    6 × 1 × 1.25   = 7.5
    #   enc.transit.tls12 (max_tier 4 = 10) partly:    10 × 0.5 × 1.25 = 6.25
    #   supply.sbom (max_tier 2 = 4) unknown:          4 × 1 × 1.25   = 5
    #   auth.oauth (10) not applicable:                0
    #   finding high (10):                             10 × 1.25      = 12.5
    #   optional lifecycle.sandbox not met:            0 (optional)
    #   total 7.5 + 6.25 + 5 + 12.5 = 31.25 → 100 − 31.25 = 68.75 → 69 → D (60 ≤ 69 < 70)
    result = compute_score(3, [
        AnswerInput("cert.iso27001", "not_met", 3),
        AnswerInput("enc.transit.tls12", "partly_met", 4),
        AnswerInput("supply.sbom", "unknown", 2),
        AnswerInput("auth.oauth", "not_applicable", 4),
        AnswerInput("lifecycle.sandbox", "not_met", 1, mandatory=False),
    ], [FindingInput("tls.protocols@api.example.com", {"en": "TLS 1.0 accepted on api.example.com",
                                                       "de": "TLS 1.0 auf api.example.com angenommen"}, "high")])
    assert result.points_lost == Decimal("31.25")
    assert (result.score, result.grade) == (69, "D")
    from vendorvet.engine.scoring_review import requirement_name

    iso, tls, sbom = (requirement_name(r) for r in ("cert.iso27001", "enc.transit.tls12", "supply.sbom"))
    assert iso.startswith("ISO/IEC 27001") or "27001" in iso  # the requirement's text, not its id
    assert result.explain() == [
        "TLS 1.0 accepted on api.example.com: −12.5",
        f"“{iso}” not met: −7.5",
        f"“{tls}” partly met: −6.25",
        f"“{sbom}” unknown: −5",
    ]
    german = result.explain("de")
    assert german[1] == f"„{requirement_name('cert.iso27001', 'de')}“ nicht erfüllt: −7,5"
    assert german[0] == "TLS 1.0 auf api.example.com angenommen: −12,5" and "cert.iso27001" not in german[1]


def test_unknown_counts_like_not_met_never_for_the_vendor():
    # tier 4, factor 1: a basic requirement (10 pts) unknown costs 10, exactly like not met
    unknown = compute_score(4, [AnswerInput("cert.recognised", "unknown", 4)])
    not_met = compute_score(4, [AnswerInput("cert.recognised", "not_met", 4)])
    met = compute_score(4, [AnswerInput("cert.recognised", "met", 4)])
    assert unknown.score == not_met.score == 90 and met.score == 100


def test_the_tier_weights_the_same_gap():
    # the same basic requirement not met: 10 × 2 = 20 (tier 1), 15 (tier 2), 12.5 (tier 3), 10 (tier 4)
    scores = [compute_score(t, [AnswerInput("cert.recognised", "not_met", 4)]).score for t in (1, 2, 3, 4)]
    # 100 − 12.5 = 87.5 → rounds half up to 88
    assert scores == [80, 85, 88, 90]


def test_override_keeps_the_line_visible_with_original_and_justification():
    # tier 2: critical finding 20 × 1.5 = 30, overridden to 0 → score 100 − 0 = 100
    finding = FindingInput("tls.protocols@a.example", {"en": "TLS 1.0 accepted on a.example"}, "critical")
    result = compute_score(2, [], [finding],
                           {"finding:tls.protocols@a.example": Override(Decimal(0), "host retired 2026-01-31")})
    assert result.score == 100
    assert result.explain() == [
        "TLS 1.0 accepted on a.example: −0 (overridden, was −30: host retired 2026-01-31)"]


@pytest.mark.parametrize("override", [Override(Decimal(31), "too much"), Override(Decimal(-1), "negative"),
                                      Override(Decimal(5), "  ")])
def test_override_outside_the_range_or_unjustified_is_refused(override):
    finding = FindingInput("k", {"en": "x"}, "critical")
    with pytest.raises(ValueError):
        compute_score(2, [], [finding], {"finding:k": override})


def test_score_never_below_zero_and_grade_f():
    # tier 1: 6 basic requirements not met = 6 × 10 × 2 = 120 > 100 → 0
    result = compute_score(1, [AnswerInput(f"r.{i}", "not_met", 4) for i in range(6)])
    assert (result.score, result.grade) == (0, "F")


@pytest.mark.parametrize("score,grade", [(100, "A"), (90, "A"), (89, "B"), (80, "B"), (70, "C"), (60, "D"),
                                         (50, "E"), (49, "F"), (0, "F")])
def test_grade_thresholds(score, grade):
    assert grade_for(score) == grade


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        compute_score(5, [])
    with pytest.raises(ValueError):
        compute_score(2, [AnswerInput("a.b", "maybe", 4)])
    with pytest.raises(ValueError):
        compute_score(2, [], [FindingInput("k", {"en": "x"}, "severe")])


def test_rubric_is_published_in_both_languages():
    en, de = rubric("en"), rubric("de")
    assert len(en) == len(de) == 8
    assert "vendor's statement" in en[5] and "Angabe des Anbieters" in de[5]
    assert "tier 1 ×2" in en[3] and "Stufe 3 ×1,25" in de[3]  # decimal comma in German
    assert "'unknown' counts like 'not met'" in en[1]


def test_next_review_follows_the_tier():
    day = dt.date(2026, 1, 31)
    assert next_review_date(day, 1, "approve") == dt.date(2027, 1, 31)  # 12 months
    assert next_review_date(day, 2, "approve_with_conditions") == dt.date(2027, 7, 31)  # 18 months
    assert next_review_date(day, 3, "approve") == dt.date(2028, 1, 31)  # 24 months
    assert next_review_date(day, 4, "approve") == dt.date(2029, 1, 31)  # 36 months
    assert next_review_date(day, 1, "reject") is None
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_certificate_states_60_day_window():
    today = dt.date(2026, 6, 1)
    assert certificate_state(dt.date(2026, 5, 31), today) == "expired"
    assert certificate_state(dt.date(2026, 6, 1), today) == "expiring"
    assert certificate_state(dt.date(2026, 7, 31), today) == "expiring"  # 60 days ahead
    assert certificate_state(dt.date(2026, 8, 1), today) == "valid"  # 61 days ahead
    assert certificate_state(None, today) == "unknown"


def test_soc2_and_pentest_expiry():
    # SOC 2: period end + 12 months, or a later bridge letter
    assert certificate_expiry("soc2_type2", period_end=dt.date(2025, 9, 30)) == dt.date(2026, 9, 30)
    assert certificate_expiry("soc2_type2", period_end=dt.date(2025, 9, 30),
                              bridge_letter_until=dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
    assert certificate_expiry("pentest", test_date=dt.date(2025, 3, 15)) == dt.date(2026, 3, 15)
    assert certificate_expiry("iso27001", valid_until=dt.date(2027, 1, 1)) == dt.date(2027, 1, 1)


def test_conditions_from_data_and_countries():
    assert conditions_for(["personal"], ["DE", "FR"]) == (frozenset({"personal_data"}), ["personal_data"])
    assert conditions_for(["internal"], ["US"])[0] == {"third_country_transfer"}
    assert conditions_for(["health"], [], "US")[0] == {"personal_data", "third_country_transfer"}
    # nothing known about where: the stricter case is assumed
    assert conditions_for([], [], "")[1] == ["third_country_transfer.unknown"]
    assert conditions_for(["financial"], ["NO"])[0] == frozenset()  # Norway is in the EEA


@pytest.mark.parametrize(("statuses", "expected"), [
    ([], None),
    (["pass", "pass"], "met"),
    (["pass", "not_applicable", "info"], "met"),
    (["pass", "warn"], "partly_met"),
    (["warn", "fail", "pass"], "not_met"),
    (["error"], None),
    (["pass", "error"], None),  # a check that could not run leaves the requirement to a person
    (["error", "fail"], "not_met"),
])
def test_suggested_answer_from_automated_checks(statuses, expected):
    from vendorvet.engine.scoring_review import suggest_answer

    assert suggest_answer(statuses) == expected


def test_a_vendor_stated_answer_weighs_below_a_verified_one():
    """Published rule: an answer resting only on the vendor's statement loses at least a quarter of its points."""
    from vendorvet.engine.scoring_review import VENDOR_STATED

    verified = compute_score(4, [AnswerInput("crypto.tls", "met", 4)])
    stated = compute_score(4, [AnswerInput("crypto.tls", "met", 4, basis=VENDOR_STATED)])
    assert verified.score == 100 and stated.score == 98  # 10 points × ¼ share × tier 4 factor 1 = 2.5 → 97.5
    [line] = stated.lines
    assert line.text("en").endswith("(vendor-stated, not verified)")
    assert "Angabe des Anbieters" in line.text("de")
    worse = compute_score(4, [AnswerInput("crypto.tls", "not_met", 4, basis=VENDOR_STATED)])
    assert worse.score == 90  # a worse stated answer keeps its own share
    na = compute_score(4, [AnswerInput("crypto.tls", "not_applicable", 4, basis=VENDOR_STATED)])
    assert na.score == 100
