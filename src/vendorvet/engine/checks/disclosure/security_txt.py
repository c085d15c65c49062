"""disclosure.security_txt — RFC 9116 file with Contact and an unexpired Expires."""

from __future__ import annotations

import datetime as dt
import re

from vendorvet.engine.facts import ScanFacts
from vendorvet.engine.models import Verdict, errored, failed, passed, warned

METADATA = {
    "id": "disclosure.security_txt",
    "severity": "low",
    "title": "security.txt (RFC 9116)",
    "risk": "Without a published security contact, researchers who find a flaw in the vendor's service have no "
            "reliable way to report it, and reports get lost or go public.",
    "remediation": "Publish /.well-known/security.txt over HTTPS as text/plain with at least one Contact: and "
                   "one Expires: (less than a year ahead), and keep it current.",
    "requires": ["http"],
    "mappings": {"iso27001_2022": ["A.5.5", "A.5.6"], "eu_cra": "Annex I Part II (vulnerability handling)"},
    "sources": ["RFC 9116"],
}

KNOWN_FIELDS = {"contact", "expires", "encryption", "acknowledgments", "preferred-languages", "canonical",
                "policy", "hiring", "csaf"}
FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):\s*(.*?)\s*$")


def parse(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """Fields (lower-case names) and problems. Strips an OpenPGP cleartext signature if present."""
    problems: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].strip() == "-----BEGIN PGP SIGNED MESSAGE-----":
        body, started = [], False
        for line in lines[1:]:
            if line.startswith("-----BEGIN PGP SIGNATURE-----"):
                break
            if started:
                body.append(line[2:] if line.startswith("- ") else line)
            elif not line.strip():
                started = True
        lines = body
    fields: dict[str, list[str]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = FIELD.match(line)
        if not m:
            problems.append(f"line {number} is not 'Field: value'")
            continue
        fields.setdefault(m.group(1).lower(), []).append(m.group(2))
    return fields, problems


def parse_expires(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None  # RFC 3339 requires an offset


def check(facts: ScanFacts) -> Verdict:
    http = facts.http.value
    fetch = http.security_txt
    if fetch is None:
        return errored("security.txt was not requested")
    if not fetch.hops:
        return errored(f"could not fetch /.well-known/security.txt: {fetch.error}", reason=fetch.error_reason)
    final = fetch.final
    evidence: dict = {"url": final.url, "status": final.status}
    content_type = (final.header("content-type") or "").split(";")[0].strip().lower()
    if final.status != 200 or content_type in ("text/html", "application/xhtml+xml"):
        return failed(f"no security.txt at /.well-known/security.txt (status {final.status}"
                      f"{', HTML page' if final.status == 200 else ''})", **evidence)
    if not final.url.startswith("https://"):
        return failed("security.txt is only available over plain HTTP", **evidence)
    text = final.body.decode("utf-8", errors="replace")
    fields, problems = parse(text)
    contacts, expires = fields.get("contact", []), fields.get("expires", [])
    if not set(fields) & KNOWN_FIELDS:
        return failed(f"/.well-known/security.txt answers (status {final.status}, {content_type or 'no type'}) "
                      "but is not a security.txt: no RFC 9116 field", **evidence)
    evidence.update(contact=contacts, expires=expires, fields=sorted(fields))
    if content_type != "text/plain":
        problems.append(f"Content-Type is {content_type or 'missing'}, not text/plain")
    if not contacts:
        problems.append("no Contact field")
    if len(expires) != 1:
        problems.append("Expires must appear exactly once" if expires else "no Expires field")
    when = parse_expires(expires[0]) if len(expires) == 1 else None
    if len(expires) == 1 and when is None:
        problems.append(f"Expires {expires[0]!r} is not an RFC 3339 date-time")
    if when is not None:
        evidence["expires_at"] = when.isoformat()
        if when < facts.now:
            return warned(f"security.txt expired on {when:%Y-%m-%d}", **evidence, problems=problems)
        if when - facts.now > dt.timedelta(days=366):
            problems.append("Expires is more than a year ahead (RFC 9116 recommends less)")
    if problems:
        return warned("security.txt is malformed: " + "; ".join(problems), **evidence, problems=problems)
    return passed(f"security.txt with {len(contacts)} contact(s), valid until {when:%Y-%m-%d}", **evidence)
