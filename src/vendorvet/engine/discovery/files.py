"""Opening untrusted input files: size cap, binary/wrong-type detection, UTF-8 text with a BOM or not."""

from __future__ import annotations

import hashlib
import io
import os
from typing import BinaryIO

from vendorvet.engine.discovery.errors import DiscoveryInputError

DEFAULT_MAX_BYTES = 1024 ** 3  # 1 GiB per file: a 1,000,000-event token log is about 450 MB

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


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


class CountingReader(io.RawIOBase):
    """Passes bytes through and stops with an error once more than ``limit`` bytes were read
    (for streams whose size is not known in advance, such as uploads and stdin)."""

    def __init__(self, raw: BinaryIO, limit: int, name: str, record: list | None = None):
        self.raw, self.limit, self.name, self.count = raw, limit, name, 0
        self.record = record
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
            # read to the end: the fingerprint of the whole file (to recognise repeated imports)
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
            raise DiscoveryInputError(f"the file is larger than the limit of {human_size(self.limit)}", file=self.name)
        buffer[: len(data)] = data
        self.digest.update(data)
        return len(data)


def check_head(head: bytes, name: str, expected: str) -> None:
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise DiscoveryInputError(f"this is {what}, not {expected}", file=name)
    if b"\x00" in head[:4096]:
        raise DiscoveryInputError(f"this is a binary file (or UTF-16 text), not {expected}; "
                                  "save it as UTF-8 text", file=name)


def open_text(path: str | os.PathLike, *, max_bytes: int, expected: str, name: str | None = None,
              record: list | None = None) -> io.TextIOWrapper:
    """Open ``path`` as UTF-8 text after checking its size and first bytes. When ``record`` is given, the
    file's name, size and SHA-256 are appended to it once the file was read to its end."""
    label = name or os.path.basename(str(path))
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise DiscoveryInputError("no such file", file=label) from None
    if os.path.isdir(path):
        raise DiscoveryInputError("is a directory", file=label)
    if size > max_bytes:
        raise DiscoveryInputError(f"the file is {human_size(size)}, larger than the limit of {human_size(max_bytes)}",
                                  file=label)
    if size == 0:
        raise DiscoveryInputError("the file is empty", file=label)
    raw = open(path, "rb")
    try:
        check_head(raw.read(4096), label, expected)
        raw.seek(0)
    except BaseException:
        raw.close()
        raise
    counted = io.BufferedReader(CountingReader(raw, max_bytes, label, record), buffer_size=1 << 20)
    return io.TextIOWrapper(counted, encoding="utf-8-sig", errors="strict", newline="")


def decode_guard(func):
    """Turn a UnicodeDecodeError while reading into a clear input error."""
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UnicodeDecodeError as exc:
            raise DiscoveryInputError(f"not UTF-8 text (byte {exc.start} of a read block cannot be decoded); "
                                      "export the file as UTF-8") from None
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper
