"""SARIF 2.1.0 for code-scanning dashboards: one rule per check, one result per non-passing finding."""

from __future__ import annotations

import json
from typing import Any

from vendorvet import __version__
from vendorvet.engine import registry
from vendorvet.engine.models import Severity, Status, TargetResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Status.FAIL: "error", Status.ERROR: "error", Status.WARN: "warning", Status.INFO: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0", Severity.INFO: "0.0"}


def document(results: list[TargetResult]) -> dict[str, Any]:
    specs = registry.all_checks()
    used = sorted({f.check_id for r in results for f in r.findings})
    rules = []
    for check_id in used:
        spec = specs.get(check_id)
        rule: dict[str, Any] = {"id": check_id, "name": check_id.replace(".", "_")}
        if spec:
            rule.update({
                "shortDescription": {"text": spec.title},
                "fullDescription": {"text": spec.risk},
                "help": {"text": spec.remediation},
                "properties": {"security-severity": SECURITY_SEVERITY[spec.severity], "tags": ["security"],
                               "mappings": dict(spec.mappings)},
            })
        rules.append(rule)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    sarif_results = []
    for result in results:
        for f in result.findings:
            if f.status not in LEVEL:
                continue
            sarif_results.append({
                "ruleId": f.check_id,
                "ruleIndex": index[f.check_id],
                "level": LEVEL[f.status],
                "kind": "fail" if f.status != Status.INFO else "informational",
                "message": {"text": f"{result.target.host}:{result.target.port}: {f.detail}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": result.target.url}}}],
                "properties": {"status": f.status.value, "severity": f.severity.value,
                               "evidence": dict(f.evidence), "addresses": list(result.addresses)},
            })
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "vendorvet", "version": __version__,
                                "informationUri": "https://github.com/vendorvet/vendorvet", "rules": rules}},
            "results": sarif_results,
        }],
    }


def render(results: list[TargetResult]) -> str:
    return json.dumps(document(results), indent=2, ensure_ascii=False, default=str) + "\n"
