"""Read CSV and XLSX inventories into rows of cell texts keyed by column.

CSV: UTF-8 (with or without BOM) or Windows-1252, ``;`` ``,`` or tab delimited (chosen by
which one makes the header row match the known columns). XLSX: the first worksheet, read
with openpyxl in read-only mode after the zip container passed :mod:`.safety`. The header
row may follow up to a few title rows. Every limit (bytes, rows, columns) is enforced
while streaming.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from django.utils.translation import gettext_lazy as _

from vendorvet.web.inventory.io import safety
from vendorvet.web.inventory.io.columns import Column, column_set, match_headers, unneutralize
from vendorvet.web.inventory.io.safety import ImportFileError

HEADER_SEARCH_ROWS = 10
MAX_CELL_CHARS = 100_000
CHUNK = 64 * 1024
DELIMITERS = (";", ",", "\t")


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
    safety.check_size(path)
    kind = safety.sniff_kind(path, filename)
    if kind == "xlsx":
        safety.check_xlsx_container(path)
        rows = _xlsx_rows(path)
        parsed = _parse(rows, kind)
    else:
        encoding = detect_encoding(path)
        with open(path, "rb") as raw:
            sample = raw.read(CHUNK).decode(encoding, errors="replace")
        delimiter = sniff_delimiter(sample)
        with open(path, encoding=encoding, newline="") as fh:
            parsed = _parse(_csv_rows(fh, delimiter), kind)
        parsed.encoding, parsed.delimiter = encoding, delimiter
    return parsed


# -- CSV ---------------------------------------------------------------------

def detect_encoding(path: str | os.PathLike) -> str:
    """utf-8-sig with a BOM; else UTF-8 if every byte decodes; else Windows-1252. Binary is refused."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_("UTF-16 files are not supported; save the CSV as UTF-8."))
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        controls = total = 0
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    if b"\x00" in chunk:
                        raise ImportFileError(_("The file contains binary data; it is not a CSV text file."))
                    text = decoder.decode(chunk)
                    total += len(text)
                    controls += sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if controls > max(8, total // 100):
            raise ImportFileError(_("The file contains binary data; it is not a CSV text file."))
        return encoding
    raise ImportFileError(_("The file is neither UTF-8 nor Windows-1252 text; it may be binary."))


def sniff_delimiter(sample: str) -> str:
    """The delimiter under which the first lines match the most known headers (ties: most fields)."""
    lines = [ln for ln in sample.splitlines()[:HEADER_SEARCH_ROWS] if ln.strip()]
    best, best_score = ";", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        matched = max((len(match_headers(r)[0]) for r in rows), default=0)
        fields = max((len(r) for r in rows), default=0)
        score = (matched, fields)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(fh, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(fh, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL_CHARS)
    number = 0
    try:
        while True:
            try:
                row = next(reader)
                number += 1
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(_("The CSV file is malformed near line %(line)d: %(error)s")
                                      % {"line": reader.line_num, "error": exc}) from None
            yield number, row
    finally:
        csv.field_size_limit(limit)


# -- XLSX --------------------------------------------------------------------

def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


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
                yield number, [_cell_text(v) for v in values]
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
