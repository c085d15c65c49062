"""One severity enum with one rank map, and one letter-grade scale, used everywhere (engine, CLI, web apps)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from vendorvet.engine import grades, scoring, scoring_review
from vendorvet.engine.severity import ADVISORY_SEVERITIES, FINDING_VALUES, RANK, Severity, rank

SRC = Path(__file__).resolve().parents[2] / "src" / "vendorvet"


def test_the_rank_map_orders_the_scale_and_keeps_the_stored_supply_chain_ranks():
    assert [rank(v) for v in FINDING_VALUES] == [1, 2, 3, 4, 5]
    # VulnerabilityFinding.severity_rank is stored: the one map must give the values stored so far
    assert {s.value: RANK[s.value] for s in ADVISORY_SEVERITIES} == {
        "critical": 5, "high": 4, "medium": 3, "low": 2, "none": 1, "unknown": 0}
    assert Severity.CRITICAL.rank > Severity.HIGH.rank > Severity.MEDIUM.rank > Severity.LOW.rank > Severity.INFO.rank
    assert rank("bogus") == rank(None) == 0 and rank("CRITICAL") == 5


def test_no_module_defines_another_severity_enum_or_rank_map():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "severity.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == "Severity":
                offenders.append(f"{path.relative_to(SRC)}: class Severity")
            if isinstance(node, ast.Dict) and {"critical", "high", "low"} <= {
                    k.value for k in node.keys if isinstance(k, ast.Constant)} and all(
                    isinstance(v, ast.Constant) and isinstance(v.value, int) for v in node.values):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: a severity rank map")
    assert offenders == []


@pytest.mark.django_db
def test_the_web_choices_come_from_the_engine_scale():
    from vendorvet.cli.commands import openapi as openapi_cli
    from vendorvet.cli.commands import scan as scan_cli
    from vendorvet.web.monitoring.models import SEVERITY_RANK as MONITORING_RANK
    from vendorvet.web.monitoring.models import Severity as EventSeverity
    from vendorvet.web.supplychain.models import SEVERITY_RANK as SUPPLYCHAIN_RANK
    from vendorvet.web.supplychain.models import Severity as AdvisorySeverity

    assert EventSeverity.values == ["critical", "high", "medium", "low", "info"]  # unchanged choices
    assert AdvisorySeverity.values == ["critical", "high", "medium", "low", "none", "unknown"]
    assert MONITORING_RANK is SUPPLYCHAIN_RANK is RANK
    assert scan_cli.SEVERITIES == openapi_cli.SEVERITIES == FINDING_VALUES
    assert scoring_review.SEVERITIES == tuple(reversed(FINDING_VALUES))


def test_one_letter_scale_for_scan_and_review_grades():
    assert scoring.letter(80) == "A" and scoring.letter(19.9) == "F"
    assert scoring_review.grade_for(90) == "A" and scoring_review.grade_for(89) == "B" and scoring_review.grade_for(0) == "F"
    assert scoring.worse("B", "D") == "D" and grades.worse("F", "A") == "F"
    assert grades.is_worse(None, "F") and grades.is_worse("C", "B") and not grades.is_worse("A", "A")
