"""Read CSV and XLSX inventories into rows of cell texts keyed by column.

CSV goes through the engine's shared reader (:mod:`vendorvet.engine.csvreader`, also used by discovery):
UTF-8 (with or without BOM), UTF-16 or Windows-1252; ``;`` ``,`` or tab delimited (chosen by which one makes
the header row match the known columns). Its errors are shown here in the reader's language. XLSX: the first
worksheet, read with openpyxl in read-only mode after the zip container passed :mod:`.safety`. The header row
may follow up to a few title rows. Every limit (bytes, rows, columns) is enforced while streaming.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from vendorvet.engine import csvreader
from vendorvet.engine.csvreader import InputFileError
from vendorvet.engine.spreadsheet import cell_text
from vendorvet.web.inventory.io import safety
from vendorvet.web.inventory.io.columns import Column, column_set, match_headers, unneutralize
from vendorvet.web.inventory.io.safety import ImportFileError

HEADER_SEARCH_ROWS = 10
MAX_CELL_CHARS = 100_000
CHUNK = 64 * 1024
DELIMITERS = (";", ",", "\t")
ENCODINGS = ("utf-8", "cp1252")  # tried in this order when the first bytes prove nothing


@dataclass
class ParsedFile:
    kind: str  # "csv" or "xlsx"
    columns: dict[int, Column]
    ignored_headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, key -> text)
    encoding: str = ""
    delimiter: str = ""

    @property
    def present(self) -> set[str]:
        return {c.key for c in self.columns.values() if c.importable}


def read_file(path: str | os.PathLike, filename: str | None = None) -> ParsedFile:
    """Check and read an import file; raises :class:`ImportFileError` with a clear message."""
    try:
        csvreader.check_size(path, safety.max_bytes(), name=filename)
    except InputFileError as exc:
        raise _translated(exc) from None
    kind = safety.sniff_kind(path, filename)
    if kind == "xlsx":
        safety.check_xlsx_container(path)
        rows = _xlsx_rows(path)
        parsed = _parse(rows, kind)
    else:
        try:
            encoding = detect_encoding(path)
            with open(path, "rb") as raw:
                sample = raw.read(CHUNK).decode(encoding, errors="replace")
            delimiter = sniff_delimiter(sample)
            with open(path, encoding=encoding, newline="") as fh:
                parsed = _parse(_csv_rows(fh, delimiter), kind)
        except InputFileError as exc:
            raise _translated(exc) from None
        parsed.encoding, parsed.delimiter = encoding, delimiter
    return parsed


# -- CSV (the shared reader, with this importer's settings and texts) ----------

def _translated(exc: InputFileError) -> ImportFileError:
    """The shared reader's error in the reader's language."""
    code, params = exc.code, exc.params
    if code == "too_large":
        return safety.too_large_error(params.get("size"))
    if code == "empty":
        return ImportFileError(_("The file is empty."))
    if code == "binary":
        return ImportFileError(_("The file contains binary data; it is not a CSV text file."))
    if code == "encoding" and any(str(e).startswith("utf-16") for e in params.get("encodings", ())):
        return ImportFileError(_("The file starts like UTF-16 text but cannot be decoded as such."))
    if code == "encoding":
        return ImportFileError(_("The file is neither UTF-8 nor Windows-1252 text; it may be binary."))
    if code == "malformed":
        return ImportFileError(_("The CSV file is malformed near line %(line)d: %(error)s")
                               % {"line": params["line"], "error": params["error"]})
    return ImportFileError(exc.reason)


def detect_encoding(path: str | os.PathLike) -> str:
    """utf-8-sig with a BOM, UTF-16 (BOM or recognisable); else UTF-8 if every byte decodes; else
    Windows-1252. Binary is refused."""
    try:
        return csvreader.detect_encoding(path, ENCODINGS)
    except InputFileError as exc:
        raise _translated(exc) from None


def _header_score(rows: list[list[str]]) -> tuple[int, int]:
    return (max((len(match_headers(r)[0]) for r in rows), default=0), max((len(r) for r in rows), default=0))


def sniff_delimiter(sample: str) -> str:
    """The delimiter under which the first lines match the most known headers (ties: most fields)."""
    return csvreader.sniff_delimiter(sample, candidates=DELIMITERS, lines=HEADER_SEARCH_ROWS, score=_header_score)


def _csv_rows(fh, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet counts, cells); a malformed row or a cell over MAX_CELL_CHARS is an error."""
    return csvreader.csv_rows(fh, delimiter, max_cell=MAX_CELL_CHARS, strict=True, number="record")


# -- XLSX --------------------------------------------------------------------

def _unreadable(exc: BaseException) -> ImportFileError:
    """A user-facing error for a workbook openpyxl gave up on; names forbidden XML explicitly."""
    from defusedxml import DefusedXmlException

    seen, cause = 0, exc
    while cause is not None and seen < 10:
        if isinstance(cause, DefusedXmlException):
            return ImportFileError(_("The workbook contains forbidden XML constructs (%(error)s); "
                                     "refusing to read it.") % {"error": type(cause).__name__})
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    detail = str(exc).split("\n", 1)[0][:200] or type(exc).__name__
    return ImportFileError(_("The workbook cannot be read: %(error)s") % {"error": detail})


def _xlsx_rows(path: str | os.PathLike) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    fh = open(path, "rb")  # a file object: openpyxl would judge a path by its name (.upload)
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl, zipfile and defusedxml raise many types on crafted files
        fh.close()
        raise _unreadable(exc) from None

    def generate():
        try:
            if not wb.worksheets:
                raise ImportFileError(_("The workbook contains no worksheet."))
            ws = wb.worksheets[0]
            max_cols = column_set().max_columns
            declared = ws.max_column  # from the sheet's <dimension>, if it has one
            if isinstance(declared, int) and declared > max_cols:
                raise ImportFileError(_("The worksheet has %(found)d columns, more than %(max)d.")
                                      % {"found": declared, "max": max_cols})
            # max_col bounds the padding openpyxl does up to the sheet's declared dimension
            # (a crafted <dimension ref="A1:XFD1048576"/> would otherwise mean 16,384 cells a row).
            for number, values in enumerate(ws.iter_rows(values_only=True, max_col=max_cols + 1), start=1):
                values = list(values)
                if len(values) > max_cols:
                    extra = values[max_cols:]
                    if any(v not in (None, "") for v in extra):
                        raise ImportFileError(_("Row %(row)d has more than %(max)d columns.")
                                              % {"row": number, "max": max_cols})
                    values = values[:max_cols]
                yield number, [cell_text(v) for v in values]
        except ImportFileError:
            raise
        except Exception as exc:
            raise _unreadable(exc) from None
        finally:
            wb.close()
            fh.close()

    return generate()


# -- common ------------------------------------------------------------------

def _parse(rows: Iterable[tuple[int, list[str]]], kind: str) -> ParsedFile:
    cs = column_set()
    iterator = iter(rows)
    header_cells = None
    mapping: dict[int, Column] = {}
    ignored: list[str] = []
    looked = 0
    for number, cells in iterator:
        if not any(c.strip() for c in cells):
            continue
        looked += 1
        if len(cells) > cs.max_columns:
            raise ImportFileError(_("Row %(row)d has more than %(max)d columns.")
                                  % {"row": number, "max": cs.max_columns})
        mapping, ignored, duplicates = match_headers(cells)
        if duplicates:
            raise ImportFileError(_("The header row names a column twice: %(headers)s")
                                  % {"headers": ", ".join(duplicates)})
        if {c.key for c in mapping.values()} >= {c.key for c in cs.required}:
            header_cells = cells
            break
        if looked >= HEADER_SEARCH_ROWS:
            break
    if header_cells is None:
        wanted = " / ".join(f"“{c.header_en}” or “{c.header_de}”" for c in cs.required)
        raise ImportFileError(_("No header row found. The file needs the columns %(columns)s.")
                              % {"columns": wanted})
    width = len(header_cells)
    while width and not str(header_cells[width - 1]).strip():
        width -= 1
    parsed = ParsedFile(kind=kind, columns=mapping, ignored_headers=ignored)
    for number, cells in iterator:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width:
            if any(c.strip() for c in cells[width:]):
                raise ImportFileError(_("Row %(row)d has %(found)d fields but the header has %(expected)d "
                                        "(ragged row; check the delimiter and quoting).")
                                      % {"row": number, "found": len(cells), "expected": width})
            cells = cells[:width]
        elif len(cells) < width and kind == "csv":
            raise ImportFileError(_("Row %(row)d has %(found)d fields but the header has %(expected)d "
                                    "(ragged row; check the delimiter and quoting).")
                                  % {"row": number, "found": len(cells), "expected": width})
        if len(parsed.rows) >= cs.max_rows:
            raise ImportFileError(_("The file has more than %(max)d rows; split it into smaller files.")
                                  % {"max": cs.max_rows})
        values: dict[str, str] = {}
        for pos, col in mapping.items():
            if not col.importable:
                continue
            text = cells[pos] if pos < len(cells) else ""
            values[col.key] = unneutralize(text.strip())
        parsed.rows.append((number, values))
    return parsed
