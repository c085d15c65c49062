"""OCSF 1.x JSON for security data lakes and SIEMs: one *Compliance Finding* (class_uid 2003, category Findings)
per check result of a scanned target, pass included — the checks test configuration against named standards.
A check that could not run is reported with compliance status *Warning* ("no result, missing information"),
never as a pass or fail. The class's required attributes and the enumerations are content (content/ocsf.yaml)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from vendorvet import __version__, content
from vendorvet.engine import registry
from vendorvet.engine.models import Status, TargetResult

SEVERITY_CAPTION = {0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical"}
COMPLIANCE_CAPTION = {1: "Pass", 2: "Warning", 3: "Fail"}


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _standards(mappings: dict, names: dict) -> list[str]:
    found = [names.get(key, key) for key in mappings]
    return found or ["vendorvet checks"]


def events(results: list[TargetResult], when: dt.datetime | None = None) -> list[dict[str, Any]]:
    spec = content.load("ocsf")
    cls = spec["class"]
    when = when or dt.datetime.now(dt.timezone.utc)
    checks = registry.all_checks()
    out = []
    for result in results:
        target = result.target
        for finding in result.findings:
            if finding.status == Status.NOT_APPLICABLE:
                continue
            info = checks.get(finding.check_id)
            severity_id = spec["severity_id"].get(finding.severity.value, 0)
            status_id = spec["compliance_status_id"][finding.status.value]
            uid = hashlib.sha256(f"{target.url}|{finding.check_id}".encode()).hexdigest()[:32]
            out.append({
                "activity_id": cls["activity_id"], "activity_name": cls["activity_name"],
                "category_uid": cls["category_uid"], "category_name": cls["category_name"],
                "class_uid": cls["class_uid"], "class_name": cls["class_name"],
                "type_uid": cls["class_uid"] * 100 + cls["activity_id"],
                "type_name": f"{cls['class_name']}: {cls['activity_name']}",
                "severity_id": severity_id, "severity": SEVERITY_CAPTION.get(severity_id, "Unknown"),
                "status_id": 1, "status": "New",
                "time": _ms(when),
                "message": f"{target.host}:{target.port}: {finding.detail}",
                "metadata": {"version": spec["schema_version"],
                             "product": {"name": "vendorvet", "vendor_name": "vendorvet", "version": __version__}},
                "finding_info": {"uid": uid, "title": finding.title, "desc": finding.detail,
                                 "types": [finding.check_id], "created_time": _ms(when)},
                "compliance": {"standards": _standards(dict(info.mappings) if info else {}, spec["standards"]),
                               "control": finding.check_id, "status_id": status_id,
                               "status": COMPLIANCE_CAPTION[status_id], "status_detail": finding.detail},
                "resources": [{"uid": target.url, "name": target.host, "type": "URL"}],
                "unmapped": {"vendorvet_status": finding.status.value, "evidence": dict(finding.evidence),
                             "addresses": list(result.addresses)},
            })
    return out


def render(results: list[TargetResult], when: dt.datetime | None = None) -> str:
    return json.dumps(events(results, when), indent=2, ensure_ascii=False, default=str) + "\n"
