"""OCSF 1.x export of scan findings: every event carries the attributes the Compliance Finding class requires
(the list is content, read from the OCSF schema files), with the enumerations mapped as the schema defines."""

from __future__ import annotations

import datetime as dt
import json

from vendorvet import content
from vendorvet.engine.models import Finding, Severity, Status, TargetResult, parse_target
from vendorvet.engine.outputs import ocsf

WHEN = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)


def results() -> list[TargetResult]:
    target = parse_target("https://api.example.com")
    return [TargetResult(target, ["192.0.2.10"], [
        Finding("http.hsts", Status.FAIL, Severity.HIGH, "HSTS header", "no Strict-Transport-Security header",
                {"header": None}),
        Finding("tls.protocol.tls13", Status.PASS, Severity.MEDIUM, "TLS 1.3", "TLS 1.3 offered"),
        Finding("dns.caa", Status.ERROR, Severity.LOW, "CAA record", "the resolver did not answer"),
        Finding("http.headers", Status.NOT_APPLICABLE, Severity.LOW, "Headers", "no HTTP"),
    ])]


def missing_required(event: dict) -> list[str]:
    required = content.load("ocsf")["required"]
    missing = [f"event.{a}" for a in required["event"] if a not in event or event[a] in (None, "", [])]
    for obj in ("metadata", "finding_info", "compliance"):
        missing += [f"{obj}.{a}" for a in required[obj] if not (event.get(obj) or {}).get(a)]
    return missing


def test_every_event_has_the_required_attributes_of_the_class():
    events = json.loads(ocsf.render(results(), WHEN))
    assert len(events) == 3  # not applicable is no finding
    for event in events:
        assert missing_required(event) == []
        assert event["class_uid"] == 2003 and event["category_uid"] == 2 and event["activity_id"] == 1
        assert event["type_uid"] == 200301
        assert event["time"] == int(WHEN.timestamp() * 1000)
        assert event["metadata"]["version"] == content.load("ocsf")["schema_version"]
        assert event["resources"][0]["uid"] == "https://api.example.com/"


def test_severity_and_compliance_status_follow_the_schema_enumerations():
    by_check = {e["compliance"]["control"]: e for e in ocsf.events(results(), WHEN)}
    assert (by_check["http.hsts"]["severity_id"], by_check["http.hsts"]["severity"]) == (4, "High")
    assert by_check["http.hsts"]["compliance"]["status_id"] == 3  # Fail
    assert by_check["tls.protocol.tls13"]["compliance"]["status_id"] == 1  # Pass
    # could not check: compliance status Warning ("no result, missing information"), never pass or fail
    assert by_check["dns.caa"]["compliance"]["status_id"] == 2
    assert by_check["dns.caa"]["unmapped"]["vendorvet_status"] == "error"
    assert "OWASP ASVS 4.0" in by_check["http.hsts"]["compliance"]["standards"]


def test_finding_uid_is_stable_per_target_and_check():
    first = {e["finding_info"]["uid"] for e in ocsf.events(results(), WHEN)}
    again = {e["finding_info"]["uid"] for e in ocsf.events(results(), WHEN + dt.timedelta(days=1))}
    assert first == again and len(first) == 3
