"""The review score of an assessment (0–100, grade A–F), review intervals and certificate states.

Pure Python, no Django: numbers come from ``content/review.yaml``. The published rubric:

1. Every *mandatory* requirement (those the integration's tier makes mandatory) is worth points by
   its checklist ``max_tier``: 10 for the basics every integration answers (max_tier 4), 6, 4 and
   2 for requirements only deeper reviews ask (max_tier 3, 2, 1).
2. The answer decides the share lost: met 0, partly met ½, not met 1, **unknown 1** (an unanswered
   question never helps the vendor), not applicable 0.
3. Each automated finding costs points by severity (critical 20, high 10, medium 5, low 2, info 0).
4. The integration's tier multiplies every deduction (tier 1 ×2, tier 2 ×1.5, tier 3 ×1.25, tier 4 ×1).
5. Optional requirements (added beyond the tier's mandatory set) are informational: they cost nothing.
   An answer that rests only on the vendor's statement (*vendor-stated*: a questionnaire answer the
   assessor accepted, not verified by scan, specification, SBOM or document) loses at least
   ``vendor_stated_share`` (¼) of its points, so it weighs below a verified answer.
6. A deduction may be overridden with a justification (a disputed finding, an answer judged too
   harshly). The line stays visible with the original value and the justification.
7. Score = 100 − the sum of all deductions, rounded half up, never below 0. Grade: A ≥ 90, B ≥ 80,
   C ≥ 70, D ≥ 60, E ≥ 50, F below.

Every point lost is one :class:`Line`, e.g. ``Requirement cert.iso27001 not met: −7.5``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from vendorvet import content
from vendorvet.engine import grades
from vendorvet.engine.severity import FINDING_VALUES

MET, PARTLY_MET, NOT_MET, NOT_APPLICABLE, UNKNOWN = "met", "partly_met", "not_met", "not_applicable", "unknown"
# what an answer rests on: verified evidence or the assessor's own judgement (""), or the vendor's statement
VENDOR_STATED = "vendor_stated"
ANSWER_VALUES = (MET, PARTLY_MET, NOT_MET, NOT_APPLICABLE, UNKNOWN)
SEVERITIES = tuple(reversed(FINDING_VALUES))  # ("critical", …, "info"), from engine.severity
TIERS = (1, 2, 3, 4)


def rules() -> Mapping[str, Any]:
    return content.load("review")


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def fmt(points: Decimal, language: str = "en") -> str:
    """``7.50`` → ``7.5``, ``8.00`` → ``8``, ``6.25`` → ``6.25`` (decimals only when needed); a decimal comma
    in German (``6,25``)."""
    q = _d(points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = str(int(q)) if q == q.to_integral_value() else format(q.normalize(), "f")
    return text.replace(".", ",") if language.startswith("de") else text


def requirement_name(requirement_id: str, language: str = "en") -> str:
    """A requirement as people read it (its text in ``language``), or its id when the checklist lacks it."""
    from vendorvet.engine.checklist import load_checklist

    try:
        text = load_checklist().requirement(requirement_id).text
    except KeyError:
        return requirement_id
    return text.get("de" if language.startswith("de") else "en") or text.get("en") or requirement_id


@dataclass(frozen=True)
class AnswerInput:
    requirement_id: str
    value: str
    max_tier: int
    mandatory: bool = True
    basis: str = ""  # "" (verified / the assessor's answer) or VENDOR_STATED


@dataclass(frozen=True)
class FindingInput:
    key: str  # stable id, e.g. "tls.protocols@api.example.com"
    text: dict[str, str]  # {"en": "TLS 1.0 accepted on api.example.com", "de": "…"}
    severity: str


@dataclass(frozen=True)
class Override:
    points: Decimal  # the deduction to use instead (0 … original)
    justification: str
    by: str = ""


@dataclass(frozen=True)
class Line:
    key: str  # "answer:<requirement id>" or "finding:<finding key>"
    kind: str  # "requirement" | "finding"
    points: Decimal  # points lost after any override
    original: Decimal  # points lost by the rubric
    subject: str  # requirement id, or the finding key
    answer: str = ""
    finding_text: dict[str, str] = field(default_factory=dict, hash=False)
    override: Override | None = None
    basis: str = ""

    def text(self, language: str = "en") -> str:
        lang = "de" if language.startswith("de") else "en"
        r = rules()["score"]
        if self.kind == "requirement":
            answer = r["answers"][self.answer][lang]
            line = r["lines"]["requirement"][lang].format(requirement=requirement_name(self.subject, lang),
                                                          answer=answer, points=fmt(self.points, lang))
            if self.basis == VENDOR_STATED:
                line += " " + r["lines"]["vendor_stated"][lang]
        else:
            text = self.finding_text.get(lang) or self.finding_text.get("en") or self.subject
            line = r["lines"]["finding"][lang].format(text=text, points=fmt(self.points, lang))
        if self.override is not None:
            line += " " + r["lines"]["override"][lang].format(original=fmt(self.original, lang),
                                                               justification=self.override.justification)
        return line


@dataclass(frozen=True)
class Coverage:
    """What the automated evidence behind a score covered: ``ran`` of ``cited`` checks ran; requirements whose
    every automated check could not run (``not_covered``) and mandatory answers still unknown (``unknown``)."""

    ran: int = 0
    cited: int = 0
    not_covered: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"checks_ran": self.ran, "checks_cited": self.cited, "not_covered": list(self.not_covered),
                "unknown": list(self.unknown)}


@dataclass(frozen=True)
class ScoreResult:
    score: int
    grade: str
    tier: int
    lines: tuple[Line, ...]
    rubric_version: str
    coverage: Coverage | None = None

    @property
    def points_lost(self) -> Decimal:
        return sum((line.points for line in self.lines), Decimal(0))

    def explain(self, language: str = "en") -> list[str]:
        return [line.text(language) for line in self.lines]


def _check_tier(tier: int) -> int:
    if isinstance(tier, bool) or tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}, got {tier!r}")
    return int(tier)


def grade_for(score: int) -> str:
    return grades.letter(score, rules()["score"]["grades"])


def requirement_deduction(value: str, max_tier: int, tier: int, basis: str = "") -> Decimal:
    """Points a mandatory requirement's answer costs at the integration's tier (a vendor-stated answer loses at
    least ``vendor_stated_share`` of the points)."""
    r = rules()["score"]
    if value not in ANSWER_VALUES:
        raise ValueError(f"unknown answer {value!r}; expected one of {ANSWER_VALUES}")
    share = _d(r["answer_factor"][value])
    if basis == VENDOR_STATED and value != NOT_APPLICABLE:
        share = max(share, _d(r["vendor_stated_share"]))
    return _d(r["requirement_points"][int(max_tier)]) * share * _d(r["tier_factor"][tier])


def finding_deduction(severity: str, tier: int) -> Decimal:
    r = rules()["score"]
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; expected one of {SEVERITIES}")
    return _d(r["finding_points"][severity]) * _d(r["tier_factor"][tier])


def _apply(line: Line, overrides: Mapping[str, Override]) -> Line:
    override = overrides.get(line.key)
    if override is None:
        return line
    points = _d(override.points)
    if points < 0 or points > line.original:
        raise ValueError(f"override of {line.key} must be between 0 and {fmt(line.original)}, got {points}")
    if not (override.justification or "").strip():
        raise ValueError(f"override of {line.key} needs a justification")
    return Line(line.key, line.kind, points, line.original, line.subject, line.answer, line.finding_text, override,
                line.basis)


def compute_score(tier: int, answers: Iterable[AnswerInput], findings: Iterable[FindingInput] = (),
                  overrides: Mapping[str, Override] | None = None, coverage: Coverage | None = None) -> ScoreResult:
    """The score of one assessment. Deterministic: lines sorted by points lost, then key.

    ``coverage`` is carried along for display only: checks that could not run never move the score.
    """
    tier = _check_tier(tier)
    overrides = overrides or {}
    lines: list[Line] = []
    for a in answers:
        if not a.mandatory:
            continue  # rubric rule 5: optional requirements are informational
        points = requirement_deduction(a.value, a.max_tier, tier, a.basis)
        if points > 0:
            lines.append(_apply(Line(f"answer:{a.requirement_id}", "requirement", points, points,
                                     a.requirement_id, answer=a.value, basis=a.basis), overrides))
    for f in findings:
        points = finding_deduction(f.severity, tier)
        if points > 0:
            lines.append(_apply(Line(f"finding:{f.key}", "finding", points, points, f.key,
                                     finding_text=dict(f.text)), overrides))
    lines.sort(key=lambda line: (-line.points, -line.original, line.key))
    lost = sum((line.points for line in lines), Decimal(0))
    score = int(max(Decimal(0), Decimal(100) - lost).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ScoreResult(score=score, grade=grade_for(score), tier=tier, lines=tuple(lines),
                       rubric_version=str(rules()["version"]), coverage=coverage)


def rubric(language: str = "en") -> list[str]:
    """The published rubric as readable sentences, generated from the content numbers."""
    r = rules()["score"]
    de = language.startswith("de")
    pts, tf, af, fp = r["requirement_points"], r["tier_factor"], r["answer_factor"], r["finding_points"]
    names = {k: v["de" if de else "en"] for k, v in r["answers"].items()}
    grades = ", ".join(f"{g} ≥ {t}" for t, g in r["grades"])
    if de:
        severity = {"critical": "kritisch", "high": "hoch", "medium": "mittel", "low": "niedrig", "info": "Hinweis"}
        return [
            "Jede Pflichtanforderung ist Punkte wert, nach ihrer Prüftiefe (bis zu welcher Stufe sie Pflicht ist): "
            + ", ".join(f"Pflicht bis Stufe {k}: {v} Punkte" for k, v in sorted(pts.items(), reverse=True)) + ".",
            "Anteil der Abzüge je Antwort: " + ", ".join(f"{names[k]} {fmt(_d(v), 'de')}" for k, v in af.items())
            + " — „unbekannt“ zählt wie „nicht erfüllt“.",
            "Automatische Befunde je Schweregrad: "
            + ", ".join(f"{severity.get(k, k)} {fmt(_d(v), 'de')}" for k, v in fp.items()) + ".",
            "Die Stufe der Integration multipliziert jeden Abzug: "
            + ", ".join(f"Stufe {k} ×{fmt(_d(v), 'de')}" for k, v in sorted(tf.items())) + ".",
            "Optionale Anforderungen (über die Pflicht der Stufe hinaus) kosten keine Punkte.",
            "Eine Antwort, die nur auf der Angabe des Anbieters beruht (Fragebogen, nicht durch Scan, Spezifikation, "
            f"SBOM oder Dokument geprüft), verliert mindestens den Anteil {fmt(_d(r['vendor_stated_share']), 'de')} "
            "ihrer Punkte.",
            "Ein Abzug kann mit Begründung übersteuert werden; die Zeile bleibt mit dem ursprünglichen Wert sichtbar.",
            f"Punktzahl = 100 − Summe der Abzüge (begrenzt auf 0 … 100). Note: {grades}, sonst F.",
        ]
    return [
        "Each mandatory requirement is worth points by its review depth (max_tier): "
        + ", ".join(f"max_tier {k}: {v}" for k, v in sorted(pts.items(), reverse=True)) + ".",
        "Share lost per answer: " + ", ".join(f"{names[k]} {fmt(_d(v))}" for k, v in af.items())
        + " — 'unknown' counts like 'not met'.",
        "Automated findings by severity: " + ", ".join(f"{k} {v}" for k, v in fp.items()) + ".",
        "The integration's tier multiplies every deduction: "
        + ", ".join(f"tier {k} ×{fmt(_d(v))}" for k, v in sorted(tf.items())) + ".",
        "Optional requirements (beyond the tier's mandatory set) cost nothing.",
        "An answer that rests only on the vendor's statement (questionnaire, not verified by scan, specification, "
        f"SBOM or document) loses at least a share of {fmt(_d(r['vendor_stated_share']))} of its points.",
        "A deduction may be overridden with a justification; the line stays visible with its original value.",
        f"Score = 100 − the sum of deductions (kept within 0 … 100). Grade: {grades}, otherwise F.",
    ]


# --------------------------------------------------------------------------- review dates


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_interval_months(tier: int) -> int:
    return int(rules()["review_interval_months"][_check_tier(tier)])


def next_review_date(decided_on: dt.date, tier: int, outcome: str) -> dt.date | None:
    """Approved (with or without conditions): decision date + the tier's interval. Rejected: none."""
    if outcome == "reject":
        return None
    return add_months(decided_on, review_interval_months(tier))


# --------------------------------------------------------------------------- certificates

VALID, EXPIRING, EXPIRED, UNKNOWN_STATE = "valid", "expiring", "expired", "unknown"


def certificate_expiry(kind: str, *, valid_until: dt.date | None = None, period_end: dt.date | None = None,
                       bridge_letter_until: dt.date | None = None, test_date: dt.date | None = None
                       ) -> dt.date | None:
    """The date a register entry stops counting as current evidence."""
    c = rules()["certificates"]
    if kind == "soc2_type2":
        dates = [add_months(period_end, int(c["soc2_report_months"]))] if period_end else []
        if bridge_letter_until:
            dates.append(bridge_letter_until)
        return max(dates) if dates else None
    if kind == "pentest":
        return add_months(test_date, int(c["pentest_months"])) if test_date else None
    return valid_until


def certificate_state(expires_on: dt.date | None, today: dt.date, warn_days: int | None = None) -> str:
    """expired (before today), expiring (within warn_days, default 60), valid, or unknown (no date)."""
    if expires_on is None:
        return UNKNOWN_STATE
    warn = int(rules()["certificates"]["warn_days"] if warn_days is None else warn_days)
    if expires_on < today:
        return EXPIRED
    if (expires_on - today).days <= warn:
        return EXPIRING
    return VALID


# --------------------------------------------------------------------------- checklist conditions


def conditions_for(data_categories: Iterable[str], processing_countries: Iterable[str],
                   vendor_country: str = "") -> tuple[frozenset[str], list[str]]:
    """Checklist conditions that hold for an integration, with the reason for each (English keys).

    Countries of processing unknown: the vendor's country stands in; if that is unknown too, a
    third-country transfer is assumed (the stricter case: the transfer questions are asked).
    """
    c = rules()["conditions"]
    found: set[str] = set()
    reasons: list[str] = []
    categories = set(data_categories or ())
    if categories & set(c["personal_data_categories"]):
        found.add("personal_data")
        reasons.append("personal_data")
    countries = [x.upper() for x in (processing_countries or ()) if x] or ([vendor_country.upper()] if vendor_country
                                                                            else [])
    eea = set(c["eea"])
    if not countries:
        found.add("third_country_transfer")
        reasons.append("third_country_transfer.unknown")
    elif any(x not in eea for x in countries):
        found.add("third_country_transfer")
        reasons.append("third_country_transfer")
    return frozenset(found), reasons


# --------------------------------------------------------------------------- automated evidence

SUGGESTION_BY_WORST = (("fail", "not_met"), ("warn", "partly_met"))
PASSING = {"pass", "info", "not_applicable"}


def suggest_answer(statuses: Iterable[str]) -> str | None:
    """What the automated checks behind a requirement suggest as its answer, or None.

    Any failed check → not met; otherwise any warning → partly met; only passes → met. Checks
    that could not run (``error``) suggest nothing on their own: a person must look.
    """
    seen = set(statuses)
    for status, answer in SUGGESTION_BY_WORST:
        if status in seen:
            return answer
    if seen and seen <= PASSING:
        return "met"
    return None
