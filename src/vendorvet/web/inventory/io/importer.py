"""Import a spreadsheet inventory: plan row by row, then apply in one transaction.

Natural key: (vendor name, integration name), compared case-insensitively; a match
keeps the stored spelling. Vendors are created by name when missing. Only the columns
present in the file are touched: an empty cell clears an optional field (status and kind
keep their value, or get the default on creation); an empty vendor cell (country,
website) leaves the vendor as it is. Each row runs in a savepoint; the whole import runs
in one transaction, which is rolled back for a dry run, and — unless ``partial`` — when
any row was rejected. Every write goes through ``inventory.services`` (role checks,
``full_clean``), so rejected rows carry the model's own validation messages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext, gettext_lazy as _

from vendorvet.web.accounts import roles
from vendorvet.web.inventory import services
from vendorvet.web.inventory.choices import DiscoverySource
from vendorvet.web.inventory.io.columns import CellError, Column, column_set, parse_cell
from vendorvet.web.inventory.io.readers import ParsedFile, read_file
from vendorvet.web.inventory.models import Endpoint, Integration, Vendor

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
ACTION_LABELS = {
    CREATED: _("created"),
    UPDATED: _("updated"),
    UNCHANGED: _("unchanged"),
    REJECTED: _("rejected"),
}
# Fields that cannot be blank: an empty cell keeps the stored value (or the default).
KEEP_WHEN_EMPTY = {"kind", "status"}


@dataclass
class RowResult:
    row: int
    vendor: str
    name: str
    action: str
    changes: list[str] = field(default_factory=list)  # headers of the changed columns
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header or "", message)
    vendor_created: bool = False

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False
    applied: bool = False
    ignored_headers: list[str] = field(default_factory=list)
    file_kind: str = ""

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in (CREATED, UPDATED, UNCHANGED, REJECTED)}

    @property
    def vendors_created(self) -> int:
        return sum(1 for r in self.rows if r.vendor_created)

    @property
    def has_rejections(self) -> bool:
        return any(r.action == REJECTED for r in self.rows)


class _Rollback(Exception):
    pass


class _RowRejected(Exception):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


def _norm_text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _same(col: Column, old: Any, new: Any) -> bool:
    if col.type == "text":
        return _norm_text(old) == _norm_text(new)
    if col.type in ("multi_choice", "countries", "tags"):
        return sorted(set(old or [])) == sorted(set(new or []))
    if col.type in ("choice", "country"):
        return (old or "") == (new or "")
    return old == new


def _header(col: Column) -> str:
    return col.header(None)


class _State:
    """What the tenant holds, loaded once and kept in step with the rows already handled."""

    def __init__(self):
        self.vendors = {v.name.casefold(): v for v in Vendor.objects.all()}
        self.integrations = {(i.vendor_id, i.name.casefold()): i for i in Integration.objects.all()}
        self.endpoints: dict[int, set[str]] = {}
        for integration_id, url in Endpoint.objects.values_list("integration_id", "url"):
            self.endpoints.setdefault(integration_id, set()).add(url)
        self.seen: dict[tuple[str, str], int] = {}
        self.vendor_values: dict[tuple[str, str], tuple[Any, int]] = {}  # (vendor key, field) -> (value, row)


def run_import(path: str | os.PathLike, filename: str | None = None, *, dry_run: bool = False,
               partial: bool = False) -> ImportReport:
    """Read, check and import a file in the active tenant as the active actor."""
    require_import_permission()
    parsed = read_file(path, filename)
    return import_parsed(parsed, dry_run=dry_run, partial=partial)


def require_import_permission() -> None:
    for perm in (roles.IMPORT, roles.ADD, roles.CHANGE):
        roles.require(perm)


def import_parsed(parsed: ParsedFile, *, dry_run: bool = False, partial: bool = False) -> ImportReport:
    require_import_permission()
    report = ImportReport(dry_run=dry_run, partial=partial, ignored_headers=parsed.ignored_headers,
                          file_kind=parsed.kind)
    columns = [c for c in parsed.columns.values() if c.importable]
    try:
        with transaction.atomic():
            state = _State()
            for number, values in parsed.rows:
                report.rows.append(_import_row(state, columns, number, values))
            report.applied = not dry_run and (partial or not report.has_rejections)
            if not report.applied:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _import_row(state: _State, columns: list[Column], number: int, values: dict[str, str]) -> RowResult:
    vendor_name = values.get("vendor", "").strip()
    name = values.get("name", "").strip()
    result = RowResult(row=number, vendor=vendor_name, name=name, action=REJECTED)
    cs = column_set()
    if not vendor_name:
        result.errors.append((_header(cs.by_key("vendor")), gettext("This field is required.")))
    if not name:
        result.errors.append((_header(cs.by_key("name")), gettext("This field is required.")))
    if result.errors:
        return result
    key = (vendor_name.casefold(), name.casefold())
    if key in state.seen:
        result.errors.append(("", gettext("Duplicate of row %(row)d (same vendor and integration name).")
                              % {"row": state.seen[key]}))
        return result
    state.seen[key] = number

    parsed: dict[str, Any] = {}
    for col in columns:
        if col.key in ("vendor", "name"):
            continue
        try:
            parsed[col.key] = parse_cell(col, values.get(col.key, ""))
        except CellError as exc:
            result.errors.append((_header(col), str(exc)))
    if result.errors:
        return result

    vendor_cols = [c for c in columns if c.model == "vendor" and c.key != "vendor"]
    for col in vendor_cols:
        value = parsed.get(col.key)
        if value in ("", None):
            continue
        earlier = state.vendor_values.get((key[0], col.key))
        if earlier is not None and earlier[0] != value:
            result.errors.append((_header(col), gettext("Conflicts with row %(row)d for the same vendor.")
                                  % {"row": earlier[1]}))
    if result.errors:
        return result

    stored_vendor = state.vendors.get(key[0])
    stored = state.integrations.get((stored_vendor.pk, key[1])) if stored_vendor is not None else None
    try:
        with transaction.atomic():
            vendor, vendor_changed = _upsert_vendor(stored_vendor, vendor_name, vendor_cols, parsed, result)
            integration, changed = _upsert_integration(state, vendor, stored, name, columns, parsed, result)
    except (_RowRejected, DatabaseError) as exc:
        _reload(state, stored_vendor, stored)
        if isinstance(exc, _RowRejected):
            result.errors.extend(exc.errors)
        else:
            result.errors.append(("", gettext("The database refused the row: %(error)s")
                                  % {"error": str(exc)[:200]}))
        result.action, result.changes, result.vendor_created = REJECTED, [], False
        return result

    state.vendors[key[0]] = vendor
    state.integrations[(vendor.pk, key[1])] = integration
    for col in vendor_cols:
        value = parsed.get(col.key)
        if value not in ("", None):
            state.vendor_values.setdefault((key[0], col.key), (value, number))
    if stored is None:
        result.action = CREATED
    else:
        result.action = UPDATED if (changed or vendor_changed) else UNCHANGED
    return result


def _save(context: str, obj, creating: bool) -> None:
    try:
        services.save_object(obj, creating=creating)
    except ValidationError as exc:
        raise _RowRejected(_messages(exc, context)) from None


def _set_endpoints(integration: Integration, urls: list[str]) -> None:
    try:
        services.set_endpoints(integration, urls)
    except ValidationError as exc:
        raise _RowRejected(_messages(exc, "endpoints")) from None


def _upsert_vendor(vendor: Vendor | None, name: str, cols: list[Column], parsed: dict, result: RowResult):
    if vendor is None:
        vendor = Vendor(name=name)
        for col in cols:
            value = parsed.get(col.key)
            if value not in ("", None):
                setattr(vendor, col.field, value)
        _save("vendor", vendor, creating=True)
        result.vendor_created = True
        return vendor, True
    changed = []
    for col in cols:
        value = parsed.get(col.key)
        if value in ("", None) or _same(col, getattr(vendor, col.field), value):
            continue
        setattr(vendor, col.field, value)
        changed.append(_header(col))
    if changed:
        _save("vendor", vendor, creating=False)
        result.changes.extend(changed)
    return vendor, bool(changed)


def _upsert_integration(state: _State, vendor: Vendor, integration: Integration | None, name: str,
                        columns: list[Column], parsed: dict, result: RowResult):
    fields = [c for c in columns if c.model == "integration" and c.key != "name"]
    urls = parsed.get("endpoints") if any(c.key == "endpoints" for c in columns) else None
    if integration is None:
        integration = Integration(vendor=vendor, name=name, discovery_source=DiscoverySource.IMPORT)
        for col in fields:
            value = parsed.get(col.key)
            if col.field in KEEP_WHEN_EMPTY and value == "":
                continue
            setattr(integration, col.field, value)
        _save("integration", integration, creating=True)
        if urls:
            _set_endpoints(integration, urls)
        state.endpoints[integration.pk] = set(urls or [])
        return integration, []
    changed: list[str] = []
    for col in fields:
        value = parsed.get(col.key)
        if col.field in KEEP_WHEN_EMPTY and value == "":
            continue
        if _same(col, getattr(integration, col.field), value):
            continue
        setattr(integration, col.field, value)
        changed.append(_header(col))
    if changed:
        _save("integration", integration, creating=False)
    if urls is not None:
        wanted = {u.strip() for u in urls if u.strip()}
        if wanted != state.endpoints.get(integration.pk, set()):
            _set_endpoints(integration, sorted(wanted))
            changed.append(_header(column_set().by_key("endpoints")))
            state.endpoints[integration.pk] = wanted
    result.changes.extend(changed)
    return integration, changed


def _reload(state: _State, vendor: Vendor | None, integration: Integration | None) -> None:
    """After a rolled-back row, forget in-memory edits of cached objects."""
    if vendor is not None:
        fresh = Vendor.objects.filter(pk=vendor.pk).first()
        if fresh is None:
            state.vendors.pop(vendor.name.casefold(), None)
        else:
            state.vendors[fresh.name.casefold()] = fresh
    if integration is not None:
        fresh = Integration.objects.filter(pk=integration.pk).first()
        if fresh is not None:
            state.integrations[(fresh.vendor_id, fresh.name.casefold())] = fresh
        urls = set(Endpoint.objects.filter(integration_id=integration.pk).values_list("url", flat=True))
        state.endpoints[integration.pk] = urls


def _field_header(context: str, field_name: str) -> str:
    if context == "endpoints":
        return _header(column_set().by_key("endpoints"))
    for col in column_set().columns:
        if col.model == context and col.field == field_name:
            return _header(col)
    return "" if field_name == "__all__" else field_name


def _messages(exc: ValidationError, context: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.message_dict.items():
            for message in errors:
                out.append((_field_header(context, field_name), message))
    else:
        out.extend(("", m) for m in exc.messages)
    return out
