"""The letter grade scale, A (best) to F, shared by the scan grade and the review grade.

The two grades mean different things and keep their own thresholds — the scan grade follows the SSL Labs
rating guide (:data:`SCAN_THRESHOLDS`), the review grade the review rubric (``content/review.yaml``) — but they
are letters of one scale with one order, so "worse" means the same everywhere (scoring caps, the worst address,
monitoring's grade changes). The Mozilla Observatory's header grade (A+ … F) is that project's own scale and is
only shown as evidence. Pure Python.
"""

from __future__ import annotations

from typing import Iterable

SCALE = "ABCDEF"
SCAN_THRESHOLDS: tuple[tuple[float, str], ...] = ((80, "A"), (65, "B"), (50, "C"), (35, "D"), (20, "E"))


def letter(score: float, thresholds: Iterable[tuple[float, str]]) -> str:
    """The first grade whose lowest score ``score`` reaches; below all of them, F."""
    for threshold, grade in thresholds:
        if score >= threshold:
            return str(grade)
    return "F"


def rank(grade: str | None) -> int:
    """0 for A … 5 for F; no grade (could not be graded) ranks below F."""
    return SCALE.index(grade) if grade and grade in SCALE else len(SCALE)


def worse(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


def is_worse(new: str | None, old: str | None) -> bool:
    """Whether ``new`` is a worse grade than ``old`` (losing the grade counts as worse)."""
    return rank(new) > rank(old)
