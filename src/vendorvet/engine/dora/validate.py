"""Offline validation of the built templates: column codes against the content definitions, every value against
its type and code list, LEI check digits (ISO 17442), dates, the conditional rules of the ITS instructions and the
references between templates. Each problem is an :class:`Issue` naming template, row and column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import vendorvet.engine.dora.definitions as definitions
import vendorvet.engine.dora.lei as lei
from vendorvet.engine.dora.build import BRANCH, NOT_APPLICABLE_TEXT, Row, Tables

LEI_TYPE = "eba_qCO:qx2000"
CRITICAL = "eba_BT:x28"
HARD_TO_SUBSTITUTE = {"eba_ZZ:x959", "eba_ZZ:x960"}

MESSAGES = {
    "unknown_template": ("Unknown template {template}.", "Unbekannte Vorlage {template}."),
    "unknown_column": ("Column {column} is not part of template {template}.",
                       "Spalte {column} gehört nicht zur Vorlage {template}."),
    "missing": ("{label} is missing.", "{label} fehlt."),
    "lei_length": ("{label}: '{value}' is not an LEI (20 characters).",
                   "{label}: „{value}“ ist keine LEI (20 Zeichen)."),
    "lei_characters": ("{label}: '{value}' has characters an LEI cannot have.",
                       "{label}: „{value}“ enthält Zeichen, die eine LEI nicht haben kann."),
    "lei_check_digits": ("{label}: the check digits of LEI '{value}' are wrong (ISO 17442).",
                         "{label}: Die Prüfziffern der LEI „{value}“ stimmen nicht (ISO 17442)."),
    "not_in_list": ("{label}: '{value}' is not in the EBA code list.",
                    "{label}: „{value}“ steht nicht in der EBA-Codeliste."),
    "bad_date": ("{label}: '{value}' is not a date (YYYY-MM-DD).",
                 "{label}: „{value}“ ist kein Datum (JJJJ-MM-TT)."),
    "bad_country": ("{label}: '{value}' is not a country code.", "{label}: „{value}“ ist kein Ländercode."),
    "bad_currency": ("{label}: '{value}' is not an ISO 4217 currency.",
                     "{label}: „{value}“ ist keine ISO-4217-Währung."),
    "bad_number": ("{label}: '{value}' is not a number of the expected kind.",
                   "{label}: „{value}“ ist keine passende Zahl."),
    "bad_link": ("{label} must be 'true'.", "{label} muss „true“ sein."),
    "end_before_start": ("The end date lies before the start date.", "Das Enddatum liegt vor dem Beginn."),
    "storage_location": ("Data is stored, but no location of the data at rest is given.",
                         "Daten werden gespeichert, aber kein Speicherort ist angegeben."),
    "duplicate_key": ("{label} '{value}' appears more than once.", "{label} „{value}“ kommt mehrfach vor."),
    "dangling": ("{label} '{value}' is not in {target}.", "{label} „{value}“ fehlt in {target}."),
    "self_link": ("Contract '{value}' is linked to itself.", "Vertrag „{value}“ ist mit sich selbst verknüpft."),
    "branch_code_needed": ("A branch making use of the ICT services needs its branch code.",
                           "Eine Zweigniederlassung, die die IKT-Dienstleistungen nutzt, braucht ihre Kennung."),
    "contract_without_service": ("Contract '{value}' has no ICT service in B_02.02.",
                                 "Vertrag „{value}“ hat keine IKT-Dienstleistung in B_02.02."),
}


@dataclass(frozen=True)
class Issue:
    template: str
    row: int  # 1-based data row; 0 for the template as a whole
    column: str
    code: str
    message: str
    message_de: str
    subject: str = ""
    where: str = ""

    def __str__(self) -> str:
        place = f"{self.template} row {self.row}" if self.row else self.template
        return f"{place} {self.column}: {self.message}".replace("  ", " ")


def _issue(template: str, index: int, column: str, code: str, row: Row | None = None, **params) -> Issue:
    en, de = MESSAGES[code]
    params.setdefault("template", template)
    params.setdefault("column", column)
    col = definitions.templates()[template].column(column) if template in definitions.templates() else None
    german = {**params, "label": col.label_de} if col is not None and "label" in params else params
    return Issue(template, index, column, code, en.format(**params), de.format(**german),
                 row.subject if row else "", row.where if row else "")


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _value_problem(col, value: str, paired_type: str) -> tuple[str, dict] | None:
    kind = col.type
    if kind == "lei" or (kind == "identifier" and paired_type == LEI_TYPE):
        problem = lei.problem(value)
        return (f"lei_{problem}", {}) if problem else None
    if kind == "code_type":
        return None if value in definitions.codelists()["code_type"] else ("not_in_list", {})
    if kind.startswith("list:"):
        return None if value in definitions.codelists()[kind[5:]] else ("not_in_list", {})
    if kind == "date":
        return None if _is_date(value) else ("bad_date", {})
    if kind in ("country", "country_key"):
        if kind == "country_key" and value == definitions.not_applicable_country():
            return None
        ok = value.startswith("eba_GA:") and value[7:] in definitions.countries()
        return None if ok else ("bad_country", {})
    if kind == "currency":
        ok = value.startswith("eba_CU:") and value[7:] in definitions.currencies()
        return None if ok else ("bad_currency", {})
    if kind == "monetary":
        try:
            ok = Decimal(value) >= 0 and "e" not in value.lower()
        except InvalidOperation:
            ok = False
        return None if ok else ("bad_number", {})
    if kind == "integer":
        return None if value.isdigit() else ("bad_number", {})
    if kind == "link":
        return None if value == "true" else ("bad_link", {})
    return None


def check_columns(tables: Tables) -> list[Issue]:
    issues = []
    templates = definitions.templates()
    for template_id, rows in tables.items():
        template = templates.get(template_id)
        if template is None:
            issues.append(_issue(template_id, 0, "", "unknown_template"))
            continue
        for index, row in enumerate(rows, 1):
            for code in row.values:
                if template.column(code) is None:
                    issues.append(_issue(template_id, index, code, "unknown_column", row))
    return issues


def check_values(tables: Tables) -> list[Issue]:
    issues = []
    for template_id, rows in tables.items():
        template = definitions.templates().get(template_id)
        if template is None:
            continue
        columns = template.columns
        for index, row in enumerate(rows, 1):
            for position, col in enumerate(columns):
                value = row.values.get(col.code, "")
                if not value:
                    if col.required == "M":
                        issues.append(_issue(template_id, index, col.code, "missing", row, label=col.label))
                    continue
                following = columns[position + 1] if position + 1 < len(columns) else None
                paired = row.values.get(following.code, "") if following and following.type == "code_type" else ""
                problem = _value_problem(col, value, paired)
                if problem:
                    issues.append(_issue(template_id, index, col.code, problem[0], row, label=col.label,
                                         value=value))
    return issues


def _label(template_id: str, code: str) -> str:
    col = definitions.templates()[template_id].column(code)
    return col.label if col else code


def check_conditions(tables: Tables, reporting_date: dt.date | None = None) -> list[Issue]:
    issues = []

    def need(template_id, index, row, code):
        if not row.values.get(code):
            issues.append(_issue(template_id, index, code, "missing", row, label=_label(template_id, code)))

    for index, row in enumerate(tables.get("B_01.02", []), 1):
        if row.values.get("c0040") not in ("eba_CT:x317", "eba_CT:x318"):
            need("B_01.02", index, row, "c0110")  # total assets: mandatory for a financial entity
    for index, row in enumerate(tables.get("B_02.01", []), 1):
        if row.values.get("c0020") == "eba_CO:x3":
            need("B_02.01", index, row, "c0030")
    critical = {r.values.get("c0010") for r in tables.get("B_06.01", []) if r.values.get("c0050") == CRITICAL}
    for index, row in enumerate(tables.get("B_02.02", []), 1):
        v = row.values
        if _is_date(v.get("c0070", "")) and _is_date(v.get("c0080", "")) and v["c0080"] < v["c0070"]:
            issues.append(_issue("B_02.02", index, "c0080", "end_before_start", row))
        if reporting_date and _is_date(v.get("c0080", "")) and v["c0080"] < reporting_date.isoformat():
            need("B_02.02", index, row, "c0090")  # the arrangement has ended: why
        if v.get("c0050") in critical:
            for code in ("c0100", "c0110", "c0120", "c0140", "c0180"):
                need("B_02.02", index, row, code)
            if v.get("c0140") == "eba_BT:x28":
                need("B_02.02", index, row, "c0170")
        if v.get("c0140") == "eba_BT:x28" and v.get("c0150") == definitions.not_applicable_country():
            issues.append(_issue("B_02.02", index, "c0150", "storage_location", row))
    for index, row in enumerate(tables.get("B_05.01", []), 1):
        if row.values.get("c0030"):
            need("B_05.01", index, row, "c0040")
        if row.values.get("c0100"):
            need("B_05.01", index, row, "c0090")
    direct = {r.values.get("c0020") for r in tables.get("B_03.02", [])}
    for index, row in enumerate(tables.get("B_05.01", []), 1):
        if row.values.get("c0010") in direct:
            need("B_05.01", index, row, "c0100")
    group = {r.values.get("c0010") for r in tables.get("B_01.02", [])}  # entities of the group in scope
    for index, row in enumerate(tables.get("B_07.01", []), 1):
        if row.values.get("c0050") in HARD_TO_SUBSTITUTE:
            need("B_07.01", index, row, "c0060")
        if row.values.get("c0020") not in group:
            need("B_07.01", index, row, "c0090")  # reintegration: not applicable for ICT intra-group providers
    return issues


# (template, column) whose values must exist among the values of (target template, target column)
REFERENCES = [
    ("B_01.01", "c0010", "B_01.02", "c0010"),
    ("B_01.03", "c0020", "B_01.02", "c0010"),
    ("B_02.01", "c0030", "B_02.01", "c0010"),
    ("B_02.02", "c0010", "B_02.01", "c0010"),
    ("B_02.02", "c0020", "B_01.02", "c0010"),
    ("B_02.02", "c0030", "B_05.01", "c0010"),
    ("B_02.02", "c0050", "B_06.01", "c0010"),
    ("B_02.03", "c0010", "B_02.01", "c0010"),
    ("B_02.03", "c0020", "B_02.01", "c0010"),
    ("B_03.01", "c0010", "B_02.01", "c0010"),
    ("B_03.01", "c0020", "B_01.02", "c0010"),
    ("B_03.02", "c0010", "B_02.01", "c0010"),
    ("B_03.02", "c0020", "B_05.01", "c0010"),
    ("B_03.03", "c0010", "B_02.01", "c0010"),
    ("B_03.03", "c0020", "B_01.02", "c0010"),
    ("B_04.01", "c0010", "B_02.01", "c0010"),
    ("B_04.01", "c0020", "B_01.02", "c0010"),
    ("B_05.02", "c0010", "B_02.01", "c0010"),
    ("B_05.02", "c0030", "B_05.01", "c0010"),
    ("B_05.02", "c0060", "B_05.01", "c0010"),
    ("B_06.01", "c0040", "B_01.02", "c0010"),
    ("B_07.01", "c0010", "B_02.01", "c0010"),
    ("B_07.01", "c0020", "B_05.01", "c0010"),
]
UNIQUE = [("B_01.02", "c0010"), ("B_01.03", "c0010"), ("B_02.01", "c0010"), ("B_05.01", "c0010"), ("B_06.01", "c0010")]


def check_references(tables: Tables) -> list[Issue]:
    issues = []
    for template_id, code in UNIQUE:
        seen = set()
        for index, row in enumerate(tables.get(template_id, []), 1):
            value = row.values.get(code, "")
            if value and value in seen:
                issues.append(_issue(template_id, index, code, "duplicate_key", row,
                                     label=_label(template_id, code), value=value))
            seen.add(value)
    for template_id, code, target, target_code in REFERENCES:
        known = {r.values.get(target_code) for r in tables.get(target, [])}
        for index, row in enumerate(tables.get(template_id, []), 1):
            value = row.values.get(code, "")
            if value and value not in known:
                issues.append(_issue(template_id, index, code, "dangling", row, label=_label(template_id, code),
                                     value=value, target=f"{target} {target_code}"))
    branches = {r.values.get("c0010") for r in tables.get("B_01.03", [])}
    for index, row in enumerate(tables.get("B_04.01", []), 1):
        code = row.values.get("c0040", "")
        if row.values.get("c0030") != BRANCH:
            continue
        if not code or code == NOT_APPLICABLE_TEXT:
            issues.append(_issue("B_04.01", index, "c0040", "branch_code_needed", row))
        elif code not in branches:
            issues.append(_issue("B_04.01", index, "c0040", "dangling", row, label=_label("B_04.01", "c0040"),
                                 value=code, target="B_01.03 c0010"))
    for index, row in enumerate(tables.get("B_02.03", []), 1):
        if row.values.get("c0010") and row.values.get("c0010") == row.values.get("c0020"):
            issues.append(_issue("B_02.03", index, "c0020", "self_link", row, value=row.values["c0010"]))
    served = {r.values.get("c0010") for r in tables.get("B_02.02", [])}
    for index, row in enumerate(tables.get("B_02.01", []), 1):
        if row.values.get("c0010") and row.values["c0010"] not in served:
            issues.append(_issue("B_02.01", index, "c0010", "contract_without_service", row,
                                 value=row.values["c0010"]))
    return issues


def validate(tables: Tables, reporting_date: dt.date | None = None) -> list[Issue]:
    """Every problem of the register, in template order."""
    issues = (check_columns(tables) + check_values(tables) + check_conditions(tables, reporting_date)
              + check_references(tables))
    order = {t: i for i, t in enumerate(definitions.templates())}
    return sorted(issues, key=lambda i: (order.get(i.template, 99), i.row, i.column))
