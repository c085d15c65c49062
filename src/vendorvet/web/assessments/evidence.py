"""Evidence uploads: size and type limits, safe names, storage outside any web root.

A file is accepted only if its extension is on the list *and* its first bytes match that type
(a renamed executable or HTML page is refused). The stored name is random
(``<tenant id>/<32 hex>``), so the uploader's file name never reaches the file system; the
original name, reduced to a plain base name, is kept for display and the download header only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PDF, PNG, JPEG, TEXT, OOXML = "pdf", "png", "jpeg", "text", "ooxml"
# extension → (content type served, signature family)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", PDF),
    "png": ("image/png", PNG),
    "jpg": ("image/jpeg", JPEG),
    "jpeg": ("image/jpeg", JPEG),
    "txt": ("text/plain", TEXT),
    "csv": ("text/csv", TEXT),
    "md": ("text/plain", TEXT),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", OOXML),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OOXML),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", OOXML),
}
SIGNATURES = {PDF: (b"%PDF-",), PNG: (b"\x89PNG\r\n\x1a\n",), JPEG: (b"\xff\xd8\xff",), OOXML: (b"PK\x03\x04",)}
UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()\[\]+,]", re.UNICODE)


def max_bytes() -> int:
    return int(getattr(settings, "VENDORVET_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def safe_name(name: str) -> str:
    """A display name: the last path component, no control or shell characters, at most 150 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if not name:
        name = "evidence"
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:150]
    return name


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _looks_like(family: str, head: bytes) -> bool:
    if family == TEXT:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
            if exc.start < len(head) - 4:
                return False
        lowered = head[:512].lstrip().lower()
        return not lowered.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml"))
    return head.startswith(SIGNATURES[family])


def validate_upload(upload) -> tuple[str, str]:
    """Raise ValidationError unless the upload is allowed; return (safe display name, content type)."""
    name = safe_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None) or 0
    limit = max_bytes()
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(_("The file is too large (%(size)s bytes; at most %(limit)s bytes)."),
                              code="too_large", params={"size": size, "limit": limit})
    ext = extension(name)
    if ext not in ALLOWED:
        raise ValidationError(_("Files of type “%(ext)s” are not accepted. Allowed: %(allowed)s."), code="type",
                              params={"ext": ext or "?", "allowed": ", ".join(sorted(ALLOWED))})
    content_type, family = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _looks_like(family, head):
        raise ValidationError(_("The file's content does not match its type “%(ext)s”."), code="content",
                              params={"ext": ext})
    return name, content_type


def storage_name(tenant_id: int) -> str:
    return f"{int(tenant_id)}/{uuid.uuid4().hex}"


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
