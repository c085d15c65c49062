"""Defences against hostile import files: size limits, zip bombs, fake XLSX, oversized uploads.

Every check here looks at sizes and headers only; nothing reads a whole untrusted file
into memory.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# An XLSX is a small set of XML parts; real workbooks have a few dozen entries.
MAX_ZIP_ENTRIES = 1000
# Declared uncompressed size of all parts together, and the worst compression ratio
# accepted for any part bigger than RATIO_MIN_SIZE (sheet XML compresses ~10-30x;
# zip bombs compress 1000x and more).
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
RATIO_MIN_SIZE = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and password-protected .xlsx


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; nothing was stored. The message is user-facing."""


def max_bytes() -> int:
    return int(getattr(settings, "VENDORVET_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "VENDORVET_IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES))


def too_large_error(size: int | None = None) -> ImportFileError:
    limit = filesizeformat(max_bytes())
    if size is None:
        return ImportFileError(_("The file is larger than the limit of %(limit)s.") % {"limit": limit})
    return ImportFileError(_("The file is %(size)s, larger than the limit of %(limit)s.")
                           % {"size": filesizeformat(size), "limit": limit})


def sniff_kind(path: str | os.PathLike, filename: str | None = None) -> str:
    """'xlsx' or 'csv' from the file's first bytes; a name ending in .xlsx must be a zip."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    name = (filename or str(path)).lower()
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(_("This is an old Excel (.xls) or a password-protected workbook. "
                                "Save it as .xlsx without a password, or as CSV."))
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
    if name.endswith((".ods", ".numbers", ".xls", ".zip", ".pdf", ".docx")):
        raise ImportFileError(_("Unsupported file type. Upload a CSV or XLSX file."))
    return "csv"


def check_xlsx_container(path: str | os.PathLike) -> None:
    """Inspect the zip's central directory (declared sizes) before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(_("The file is not a valid XLSX workbook (damaged zip container).")) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFileError(_("The workbook contains too many parts (%(count)d); refusing to open it.")
                              % {"count": len(infos)})
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ImportFileError(_("The file is a zip archive but not an XLSX workbook."))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportFileError(_("The workbook is encrypted; save it without a password."))
        total += info.file_size
        if info.file_size > RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise ImportFileError(_("The workbook looks like a zip bomb (a part expands %(ratio)d-fold); "
                                        "refusing to open it.") % {"ratio": int(ratio)})
    if total > max_uncompressed_bytes():
        raise ImportFileError(_("The workbook would expand to %(size)s, more than the limit of %(limit)s.")
                              % {"size": filesizeformat(total), "limit": filesizeformat(max_uncompressed_bytes())})


def imports_dir() -> Path:
    """Server-side store of uploaded files awaiting confirmation (never web-served)."""
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Streams an upload to a temporary file and stops the upload once it passes the limit."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)
