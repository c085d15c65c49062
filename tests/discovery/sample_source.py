"""A test-only discovery source, written as a new source would be: this one module and nothing else.

Okta "app assignments" CSV (App, User, Scopes): each app a person was assigned becomes a discovered app with
that person's grant. It reads through the shared CSV reader like the built-in sources.
"""

from __future__ import annotations

from vendorvet.engine import csvreader
from vendorvet.engine.discovery.errors import DiscoveryInputError
from vendorvet.engine.discovery.files import DEFAULT_MAX_BYTES, decode_guard, open_text
from vendorvet.engine.discovery.model import DiscoveryResult
from vendorvet.engine.discovery.source import DiscoverySource

COLUMNS = {"app": ("App", "Application", "Anwendung"), "user": ("User", "Benutzer"),
           "scopes": ("Scopes", "Berechtigungen")}


@decode_guard
def _read(result: DiscoveryResult, path, label: str, max_bytes: int) -> None:
    with open_text(path, max_bytes=max_bytes, expected="an Okta app assignments CSV", name=label,
                   record=result.file_info) as fh:
        delimiter = csvreader.sniff_delimiter(csvreader.read_sample(fh))
        rows = csvreader.csv_rows(fh, delimiter, name=label, error=DiscoveryInputError)
        cols = csvreader.match_columns(next(rows, (0, []))[1], COLUMNS)
        if "app" not in cols or "user" not in cols:
            raise DiscoveryInputError("not an app assignments export: no 'App' and 'User' columns", file=label)
        for line, row in rows:
            result.records += 1
            if len(row) <= max(cols.values()):
                result.skip(f"{label} line {line}: too few columns")
                continue
            name = row[cols["app"]].strip()
            app = result.app("web", f"okta:{name.lower()}")
            app.name = name
            grant = app.grant(row[cols["user"]].strip())
            grant.listed = True
            for scope in row[cols["scopes"]].split() if "scopes" in cols else ():
                grant.scopes.setdefault(scope, "")


def parse(paths: list, *, names=None, max_bytes: int = DEFAULT_MAX_BYTES) -> DiscoveryResult:
    result = DiscoveryResult(source="okta_assignments")
    for i, path in enumerate(paths):
        label = names[i] if names else str(path)
        result.files.append(label)
        _read(result, path, label, max_bytes)
    return result


SOURCE = DiscoverySource(
    id="okta_assignments",
    order=50,
    label={"en": "Okta app assignments", "de": "Okta-App-Zuweisungen"},
    help={"en": "Okta: the CSV export of app assignments (App, User, Scopes).",
          "de": "Okta: der CSV-Export der App-Zuweisungen (App, Benutzer, Berechtigungen)."},
    file_kinds=("csv",),
    parse=parse,
)
