"""http.cors — no wildcard or reflected origin together with credentials."""

from __future__ import annotations

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Severity, Verdict, errored, failed, informed, passed, warned

METADATA = {
    "id": "http.cors",
    "severity": "high",
    "title": "CORS does not expose credentials to any origin",
    "risk": "Reflecting any Origin with Access-Control-Allow-Credentials lets every web site read authenticated "
            "API responses in a logged-in user's browser.",
    "remediation": "Allow only an explicit list of trusted origins; never reflect the request Origin together "
                   "with Access-Control-Allow-Credentials: true.",
    "requires": ["http"],
    "mappings": {"owasp_asvs_4": ["14.5.3"], "owasp_api_top10_2023": ["API8"], "observatory_v6": "cors"},
    "sources": ["Fetch standard (CORS protocol)", "MDN HTTP Observatory scoring v6 (cors)"],
}


def check(facts: ScanFacts) -> Verdict:
    http = facts.http.value
    probe = http.cors_probe
    if probe is None or not probe.hops:
        return errored(f"the CORS probe got no answer: {probe.error if probe else 'not sent'}")
    final = probe.final
    origin = final.header("access-control-allow-origin")
    credentials = (final.header("access-control-allow-credentials") or "").strip().lower() == "true"
    evidence = {"probe_origin": http.probe_origin, "access_control_allow_origin": origin,
                "access_control_allow_credentials": credentials}
    if origin is None:
        return passed("no cross-origin access is granted to an unknown origin", **evidence)
    origin = origin.strip()
    if origin == http.probe_origin or origin == "null":
        if credentials:
            return failed("any origin is reflected and credentials are allowed: every web site can read "
                          "authenticated responses", Severity.CRITICAL, **evidence)
        return warned("the request Origin is reflected (without credentials)", **evidence)
    if origin == "*":
        if credentials:
            return failed("wildcard origin combined with Access-Control-Allow-Credentials", **evidence)
        return informed("public API: any origin may read unauthenticated responses (Access-Control-Allow-Origin: *)",
                        **evidence)
    return passed(f"cross-origin access is limited to {origin}", **evidence)
