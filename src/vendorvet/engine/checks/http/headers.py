"""http.headers — security headers scored like the Mozilla HTTP Observatory (algorithm version 6)."""

from __future__ import annotations

from vendorvet.engine.checks.http._observatory import run_tests, score
from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, failed, passed, warned

METADATA = {
    "id": "http.headers",
    "severity": "medium",
    "title": "HTTP security headers (Observatory score)",
    "risk": "Missing browser security headers (CSP, frame protection, nosniff, HSTS, cookie flags) leave users "
            "of the vendor's web front-end open to XSS, clickjacking and session theft.",
    "remediation": "Follow the failing tests listed in the evidence: add a Content-Security-Policy, "
                   "X-Content-Type-Options: nosniff, frame-ancestors/X-Frame-Options, HSTS and secure cookie flags.",
    "requires": ["http"],
    "mappings": {"owasp_asvs_4": ["14.4"], "iso27001_2022": ["A.8.26"]},
    "sources": ["MDN HTTP Observatory scoring, algorithm version 6"],
    "scored": True,
}


def check(facts: ScanFacts) -> Verdict:
    tests = run_tests(facts.http.value)
    total, grade = score(tests)
    evidence = {
        "score": total, "grade": grade, "algorithm_version": 6,
        "tests": {name: {"result": result, "score_modifier": modifier, "pass": modifier >= 0}
                  for name, (result, modifier) in tests.items()},
    }
    failing = [f"{name} ({modifier:+d})" for name, (_, modifier) in tests.items() if modifier < 0]
    detail = f"Observatory score {total}/100, grade {grade}" + (f"; deductions: {', '.join(failing)}" if failing else "")
    if total >= 90:
        return passed(detail, **evidence)
    if total >= 50:
        return warned(detail, Severity.LOW if total >= 70 else Severity.MEDIUM, **evidence)
    return failed(detail, **evidence)
