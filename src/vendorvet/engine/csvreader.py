"""Reading untrusted text files — CSV above all — in one place, for every importer.

The inventory import (``web/inventory/io/readers.py``) and the discovery parsers (``engine/discovery``) both
read through here: size caps (by the size on disk before opening, and while streaming input of unknown
size), wrong-type detection (ZIP, PDF, gzip … named as such), encoding detection (UTF-8 with or without a
BOM, UTF-16 with a BOM or recognisable without one, optionally a legacy fallback such as Windows-1252),
delimiter sniffing, and CSV rows with bounded cells and errors that name the file and the line.

Pure Python. Every error is an :class:`InputFileError` (or the subclass a caller names) with a stable
``code`` and ``params`` beside its English message, so a web layer can say the same in the reader's language.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import unicodedata
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence, TextIO

# Hard upper bound for one CSV cell (the csv module's limit is process-wide, so it is set once, here);
# callers ask for less with ``max_cell`` and get the same error.
MAX_FIELD = 256 * 1024
if csv.field_size_limit() < MAX_FIELD:
    csv.field_size_limit(MAX_FIELD)

CHUNK = 64 * 1024
HEAD = 4096
DELIMITERS = (",", ";", "\t", "|")

MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (or an XLSX/DOCX file)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file (decompress it first)"),
    (b"BZh", "a bzip2-compressed file (decompress it first)"),
    (b"\xfd7zXZ", "an xz-compressed file (decompress it first)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3", "an SQLite database"),
]


class InputFileError(ValueError):
    """The input as a whole cannot be read. ``code`` says why (``missing``, ``directory``, ``too_large``,
    ``empty``, ``wrong_type``, ``binary``, ``encoding``, ``malformed``), ``params`` the details; the message
    is English and starts with the file's name when one is known."""

    def __init__(self, message: str, *, file: str | None = None, code: str = "invalid", params: dict | None = None):
        self.file = file
        self.code = code
        self.params = dict(params or {})
        self.reason = message
        super().__init__(f"{file}: {message}" if file else message)


ErrorClass = Callable[..., InputFileError]


def human_size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


# -- size and type -------------------------------------------------------------

def check_size(path: str | os.PathLike, max_bytes: int, *, name: str | None = None,
               error: ErrorClass = InputFileError) -> int:
    """The file's size; refuses a missing file, a directory, an empty file or one over ``max_bytes``
    by its size on disk, before anything is read."""
    label = name or os.path.basename(str(path))
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise error("no such file", file=label, code="missing") from None
    if os.path.isdir(path):
        raise error("is a directory", file=label, code="directory")
    if size > max_bytes:
        raise error(f"the file is {human_size(size)}, larger than the limit of {human_size(max_bytes)}",
                    file=label, code="too_large", params={"size": size, "limit": max_bytes})
    if size == 0:
        raise error("the file is empty", file=label, code="empty")
    return size


def sniff_encoding(head: bytes) -> str | None:
    """The encoding the first bytes prove: a BOM (UTF-8, UTF-16), or UTF-16 text without one (every
    other byte zero). None when they prove nothing (ASCII-compatible text, or binary)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) // 2 * 2]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if even.count(0) == 0 and odd.count(0) * 10 >= len(odd) * 3:
            return "utf-16-le"
        if odd.count(0) == 0 and even.count(0) * 10 >= len(even) * 3:
            return "utf-16-be"
    return None


def check_head(head: bytes, name: str | None, expected: str, error: ErrorClass = InputFileError) -> str | None:
    """Refuse a known non-text format or binary data by the first bytes; returns what :func:`sniff_encoding`
    found."""
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise error(f"this is {what}, not {expected}", file=name, code="wrong_type",
                        params={"what": what, "expected": expected})
    encoding = sniff_encoding(head)
    if encoding is None and b"\x00" in head[:HEAD]:
        raise error(f"this is a binary file, not {expected}", file=name, code="binary",
                    params={"expected": expected})
    return encoding


def detect_encoding(path: str | os.PathLike, candidates: Sequence[str] = ("utf-8",), *, name: str | None = None,
                    error: ErrorClass = InputFileError) -> str:
    """The encoding of a whole (size-capped) file: what its first bytes prove, else the first of
    ``candidates`` that decodes every byte. Binary data (NUL bytes, more than 1 % control characters)
    is refused."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    proven = sniff_encoding(head)
    tried = [proven] if proven else list(candidates)
    for encoding in tried:
        decoder = codecs.getincrementaldecoder(encoding)()
        controls = total = 0
        nul_is_binary = not encoding.startswith("utf-16")
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    if nul_is_binary and b"\x00" in chunk:
                        raise error("the file contains binary data; it is not a text file", file=name,
                                    code="binary", params={"expected": "a text file"})
                    text = decoder.decode(chunk)
                    total += len(text)
                    controls += sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if controls > max(8, total // 100):
            raise error("the file contains binary data; it is not a text file", file=name, code="binary",
                        params={"expected": "a text file"})
        return encoding
    names = " or ".join(_display(e) for e in tried)
    raise error(f"the file is not {names} text; it may be binary", file=name, code="encoding",
                params={"encodings": tried})


def _display(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16",
            "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(encoding, encoding)


class CountingReader(io.RawIOBase):
    """Passes bytes through and stops with an error once more than ``limit`` bytes were read (for streams
    whose size is not known in advance, such as uploads and stdin). With ``record``, the file's name, size
    and SHA-256 are appended to it once it was read to its end (one pass: repeated imports are recognised)."""

    def __init__(self, raw: BinaryIO, limit: int, name: str, record: list | None = None,
                 error: ErrorClass = InputFileError):
        self.raw, self.limit, self.name, self.count = raw, limit, name, 0
        self.record = record
        self.error = error
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self.raw.seekable()

    def seek(self, pos: int, whence: int = 0) -> int:
        self.count = self.raw.seek(pos, whence)
        if self.count == 0:
            self.digest = hashlib.sha256()
        return self.count

    def tell(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        if self.record is not None and not self.closed and self.raw.read(1) == b"":
            self.record.append({"name": self.name, "size": self.count, "sha256": self.digest.hexdigest()})
            self.record = None
        try:
            self.raw.close()
        finally:
            super().close()

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise self.error(f"the file is larger than the limit of {human_size(self.limit)}", file=self.name,
                             code="too_large", params={"size": None, "limit": self.limit})
        buffer[: len(data)] = data
        self.digest.update(data)
        return len(data)


def open_text(path: str | os.PathLike, *, max_bytes: int, expected: str, name: str | None = None,
              record: list | None = None, encoding: str | None = None,
              error: ErrorClass = InputFileError) -> io.TextIOWrapper:
    """Open ``path`` as text after checking its size and first bytes, for streaming.

    The encoding is ``encoding`` when given, else what the first bytes prove (a BOM, UTF-16), else UTF-8;
    bytes that do not decode raise ``UnicodeDecodeError`` while reading (see :func:`decode_errors`).
    """
    label = name or os.path.basename(str(path))
    check_size(path, max_bytes, name=label, error=error)
    raw = open(path, "rb")
    try:
        proven = check_head(raw.read(HEAD), label, expected, error)
        raw.seek(0)
    except BaseException:
        raw.close()
        raise
    counted = io.BufferedReader(CountingReader(raw, max_bytes, label, record, error), buffer_size=1 << 20)
    return io.TextIOWrapper(counted, encoding=encoding or proven or "utf-8-sig", errors="strict", newline="")


def decode_errors(func=None, *, error: ErrorClass = InputFileError):
    """Decorator: a ``UnicodeDecodeError`` while reading becomes a clear input error."""
    def wrap(f):
        def wrapper(*args, **kwargs):
            try:
                return f(*args, **kwargs)
            except UnicodeDecodeError as exc:
                raise error(f"not {_display(exc.encoding)} text (byte {exc.start} of a read block cannot be "
                            f"decoded); export the file as UTF-8", code="encoding",
                            params={"encodings": [exc.encoding]}) from None
        wrapper.__name__ = f.__name__
        wrapper.__doc__ = f.__doc__
        return wrapper
    return wrap(func) if func is not None else wrap


# -- CSV -----------------------------------------------------------------------

def _fields(rows: list[list[str]]) -> int:
    return len(rows[0]) if rows else 0


def sniff_delimiter(sample: str, *, candidates: Sequence[str] = DELIMITERS, lines: int = 10,
                    score: Callable[[list[list[str]]], object] | None = None) -> str:
    """The delimiter under which the first non-empty ``lines`` of ``sample`` score best; ``score`` gets the
    parsed rows (default: how many fields the first row has). Ties go to the earlier candidate, and a sample
    that splits under none gives the first candidate."""
    text = [ln for ln in sample.splitlines()[: lines * 4] if ln.strip()][:lines]
    judge = score or _fields
    best, best_score = candidates[0], None
    for delimiter in candidates:
        try:
            rows = list(csv.reader(text, delimiter=delimiter))
        except csv.Error:
            continue
        value = judge(rows)
        if best_score is None or value > best_score:
            best, best_score = delimiter, value
    if score is None and (best_score or 0) <= 1:
        return candidates[0]
    return best


def csv_rows(fh: Iterable[str], delimiter: str, *, name: str | None = None, max_cell: int = MAX_FIELD,
             strict: bool = False, number: str = "line",
             error: ErrorClass = InputFileError) -> Iterator[tuple[int, list[str]]]:
    """``(number, cells)`` for each CSV record; ``number`` is the physical line where the record ends
    (``number="line"``, as a text editor counts) or the record's position (``"record"``, as a spreadsheet
    counts rows). A malformed record or a cell over ``max_cell`` characters raises ``malformed``."""
    reader = csv.reader(fh, delimiter=delimiter, quotechar='"', doublequote=True, strict=strict)
    check_cells = max_cell < MAX_FIELD
    by_line = number == "line"
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _malformed(reader.line_num, str(exc), name, error) from None
        count += 1
        if check_cells and any(len(cell) > max_cell for cell in row):
            raise _malformed(reader.line_num, f"field larger than field limit ({max_cell})", name, error)
        yield (reader.line_num if by_line else count), row


def _malformed(line: int, detail: str, name: str | None, error: ErrorClass) -> InputFileError:
    return error(f"not a readable CSV file near line {line}: {detail}", file=name, code="malformed",
                 params={"line": line, "error": detail})


def norm_header(text: str) -> str:
    """A header cell reduced to ASCII letters and digits (``Domäne`` → ``domane``, ``Client-ID`` →
    ``clientid``), for matching headers across languages and spellings."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def match_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map field name -> column index for the first header cell matching one of the field's aliases."""
    normalized = [norm_header(h) for h in header]
    found: dict[str, int] = {}
    for field_name, names in aliases.items():
        wanted = {norm_header(n) for n in names}
        for i, h in enumerate(normalized):
            if h in wanted and i not in found.values():
                found[field_name] = i
                break
    return found


def read_sample(fh: TextIO, size: int = CHUNK) -> str:
    """The first ``size`` characters of a seekable text stream, which is rewound afterwards."""
    sample = fh.read(size)
    fh.seek(0)
    return sample
