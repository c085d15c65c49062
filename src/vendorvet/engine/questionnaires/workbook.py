"""Opening untrusted XLSX workbooks safely, and writing cells that cannot turn into formulas.

Pure Python (openpyxl + defusedxml, no Django). Before any XML is parsed the file is checked by its size,
its first bytes (a zip, not a legacy .xls or an encrypted workbook) and the zip's central directory
(entry count, declared uncompressed size, compression ratio — a zip bomb is refused without inflating it).
openpyxl then reads in read-only mode with XML defences (defusedxml); rows beyond ``Limits.max_rows`` and
columns beyond ``Limits.max_columns`` are never materialised.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, Union

from vendorvet.engine import spreadsheet
from vendorvet.engine.questionnaires.models import DEFAULT_LIMITS, Limits, QuestionnaireFileError

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, IO[bytes]]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an XLSX encrypted with a password

# characters XML 1.0 (and so XLSX) cannot hold
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010\013\014\016-\037]")


def neutralize(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, made inert with a leading ``'`` (the rule of
    ``engine.spreadsheet``, after dropping the characters an XLSX cannot hold)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS.sub("", value)
    return spreadsheet.neutralize(value)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell value as text the way a person reads it (``1.0`` → ``1``, dates ISO), stripped."""
    return spreadsheet.cell_text(value).strip()


def _fail(message: str, code: str, **params: Any) -> QuestionnaireFileError:
    return QuestionnaireFileError(message, code=code, params=params)


def _as_file(source: Source, limits: Limits) -> tuple[IO[bytes], bool]:
    """A seekable binary file for ``source`` (path, bytes or file object) within the size limit."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limits.max_bytes:
            raise _too_large(len(data), limits)
        return io.BytesIO(data), True
    if isinstance(source, (str, os.PathLike)):
        try:
            size = os.stat(source).st_size
            if size > limits.max_bytes:
                raise _too_large(size, limits)
            return open(source, "rb"), True
        except OSError as exc:
            raise _fail(f"the file cannot be opened: {exc.strerror or exc}", "unreadable") from None
    if hasattr(source, "read"):
        if getattr(source, "seekable", lambda: False)():
            source.seek(0, os.SEEK_END)
            size = source.tell()
            source.seek(0)
            if size > limits.max_bytes:
                raise _too_large(size, limits)
            return source, False
        data = source.read(limits.max_bytes + 1)
        if len(data) > limits.max_bytes:
            raise _too_large(None, limits)
        return io.BytesIO(data), True
    raise TypeError(f"expected a path, bytes or a binary file, got {type(source).__name__}")


def _too_large(size: int | None, limits: Limits) -> QuestionnaireFileError:
    limit_mb = limits.max_bytes / (1024 * 1024)
    if size is None:
        return _fail(f"the file is larger than the limit of {limit_mb:g} MB", "too_large", limit=limits.max_bytes)
    return _fail(f"the file is {size / (1024 * 1024):.1f} MB, larger than the limit of {limit_mb:g} MB",
                 "too_large", size=size, limit=limits.max_bytes)


def check_container(fh: IO[bytes], limits: Limits) -> None:
    """Refuse what is not a plain XLSX zip — by the first bytes and the zip directory, nothing inflated."""
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(OLE_MAGIC):
        raise _fail("this is an old Excel (.xls) or a password-protected workbook; save it as .xlsx without a "
                    "password", "legacy_or_encrypted")
    if not head.startswith(ZIP_MAGIC):
        raise _fail("the file is not an XLSX workbook", "not_xlsx")
    try:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _fail("the file is not a valid XLSX workbook (damaged or truncated zip container)",
                    "damaged") from None
    finally:
        fh.seek(0)
    if len(infos) > limits.max_zip_entries:
        raise _fail(f"the workbook contains too many parts ({len(infos)}); refusing to open it",
                    "too_many_parts", count=len(infos))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _fail("the file is a zip archive but not an XLSX workbook", "not_xlsx")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _fail("the workbook is encrypted; save it without a password", "legacy_or_encrypted")
        total += info.file_size
        if info.file_size > limits.ratio_min_size:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise _fail(f"the workbook looks like a zip bomb (a part expands {int(ratio)}-fold); refusing to "
                            "open it", "zip_bomb", ratio=int(ratio))
    if total > limits.max_uncompressed_bytes:
        raise _fail(f"the workbook would expand to {total // (1024 * 1024)} MB, more than the limit of "
                    f"{limits.max_uncompressed_bytes // (1024 * 1024)} MB", "zip_bomb", size=total)


def _unreadable(exc: BaseException) -> QuestionnaireFileError:
    from defusedxml import DefusedXmlException

    seen, cause = 0, exc
    while cause is not None and seen < 10:
        if isinstance(cause, DefusedXmlException):
            return _fail(f"the workbook contains forbidden XML constructs ({type(cause).__name__}); refusing to "
                         "read it", "forbidden_xml")
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    detail = str(exc).split("\n", 1)[0][:200] or type(exc).__name__
    return _fail(f"the workbook cannot be read: {detail}", "unreadable", detail=detail)


@contextmanager
def open_workbook(source: Source, limits: Limits = DEFAULT_LIMITS):
    """Yield a read-only openpyxl workbook for an untrusted file, or raise QuestionnaireFileError."""
    import openpyxl

    fh, owned = _as_file(source, limits)
    wb = None
    try:
        check_container(fh, limits)
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl, zipfile and defusedxml raise many types on crafted files
            raise _unreadable(exc) from None
        if len(wb.sheetnames) > limits.max_sheets:
            raise _fail(f"the workbook has {len(wb.sheetnames)} sheets, more than {limits.max_sheets}",
                        "too_many_sheets", count=len(wb.sheetnames))
        yield wb
    finally:
        if wb is not None:
            wb.close()
        if owned:
            fh.close()


def iter_rows(ws, limits: Limits = DEFAULT_LIMITS, *, max_row: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(row number, [cell text …])`` for each row, at most ``limits.max_columns`` wide; refuses a sheet
    with more than ``limits.max_rows`` rows (by its declared size first, then while reading)."""
    sheet = ws.title
    declared = getattr(ws, "max_row", None)
    cap = limits.max_rows if max_row is None else min(max_row, limits.max_rows)
    if max_row is None and isinstance(declared, int) and declared > limits.max_rows:
        raise QuestionnaireFileError(f"the sheet has {declared} rows, more than the limit of {limits.max_rows}",
                                     code="too_many_rows", sheet=sheet, params={"rows": declared,
                                                                                "limit": limits.max_rows})
    try:
        # max_col bounds the padding openpyxl does up to a sheet's declared dimension (a crafted
        # <dimension ref="A1:XFD1048576"/> would otherwise mean 16,384 cells a row)
        for number, values in enumerate(ws.iter_rows(values_only=True, max_col=limits.max_columns,
                                                     max_row=cap + 1), start=1):
            if number > cap:
                if max_row is not None:
                    return
                if any(v not in (None, "") for v in values):
                    raise QuestionnaireFileError(
                        f"the sheet has more than {limits.max_rows} rows", row=number, code="too_many_rows",
                        sheet=sheet, params={"limit": limits.max_rows})
                continue
            yield number, [cell_text(v) for v in values]
    except QuestionnaireFileError:
        raise
    except Exception as exc:
        raise _unreadable(exc) from None


def normalise_header(text: str) -> str:
    """Header text compared loosely: case, spaces, line breaks and trailing notes in brackets ignored."""
    text = re.sub(r"\s+", " ", text or "").strip().lower()
    return re.sub(r"\s*\(.*?\)\s*$", "", text).strip(" :*")
