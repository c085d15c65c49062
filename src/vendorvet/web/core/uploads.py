"""Rules for files people upload (evidence, contracts): size, type by extension *and* by content, safe names.

A file is accepted only if its extension is on the caller's list *and* its first bytes match that type's
signature, so a renamed executable, HTML page or SVG is refused whatever it is called. Callers store the
file under a random name; the uploader's name, reduced to a plain base name by :func:`safe_name`, is kept
for display and the download header only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Signature families: how the first bytes of a file of that kind look.
PDF, PNG, JPEG, TEXT, OOXML, ODF, OLE2 = "pdf", "png", "jpeg", "text", "ooxml", "odf", "ole2"
ZIP_LOCAL_HEADER = b"PK\x03\x04"
SIGNATURES = {
    PDF: (b"%PDF-",),
    PNG: (b"\x89PNG\r\n\x1a\n",),
    JPEG: (b"\xff\xd8\xff",),
    OOXML: (ZIP_LOCAL_HEADER,),
    OLE2: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # legacy Office (.doc, .xls)
}
MARKUP_PREFIXES = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")
UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()\[\]+,]", re.UNICODE)
SAMPLE_BYTES = 2048

# extension → (content type served, signature family); callers pick a subset.
KNOWN_TYPES: dict[str, tuple[str, str]] = {
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
    "odt": ("application/vnd.oasis.opendocument.text", ODF),
    "doc": ("application/msword", OLE2),
}


@dataclass(frozen=True)
class UploadRules:
    """What one kind of upload accepts: extensions (a subset of :data:`KNOWN_TYPES`) and a size limit."""

    extensions: tuple[str, ...]
    max_bytes: int
    default_name: str = "upload"
    types: dict[str, tuple[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = [ext for ext in self.extensions if ext not in KNOWN_TYPES]
        if unknown:
            raise ValueError(f"no signature rule for: {', '.join(unknown)}")
        object.__setattr__(self, "types", {ext: KNOWN_TYPES[ext] for ext in self.extensions})

    def accept_attribute(self) -> str:
        """The value of an ``<input type=file accept=…>`` attribute for these rules."""
        return ",".join(f".{ext}" for ext in sorted(self.extensions))


def safe_name(name: str, default: str = "upload") -> str:
    """A display name: the last path component, no control or shell characters, at most 150 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if not name:
        name = default
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:150]
    return name


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def looks_like(family: str, head: bytes) -> bool:
    """Whether the first bytes of a file fit the signature family."""
    if family == TEXT:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
            if exc.start < len(head) - 4:
                return False
        return not head[:512].lstrip().lower().startswith(MARKUP_PREFIXES)
    if family == ODF:
        # an OpenDocument file is a zip whose first entry is the uncompressed "mimetype" file
        return head.startswith(ZIP_LOCAL_HEADER) and b"mimetypeapplication/vnd.oasis.opendocument." in head[:200]
    return head.startswith(SIGNATURES[family])


def validate_upload(upload, rules: UploadRules) -> tuple[str, str]:
    """Raise ValidationError unless ``upload`` passes ``rules``; return (safe display name, content type)."""
    name = safe_name(getattr(upload, "name", "") or "", rules.default_name)
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > rules.max_bytes:
        raise ValidationError(_("The file is too large (%(size)s bytes; at most %(limit)s bytes)."),
                              code="too_large", params={"size": size, "limit": rules.max_bytes})
    ext = extension(name)
    if ext not in rules.types:
        raise ValidationError(_("Files of type “%(ext)s” are not accepted. Allowed: %(allowed)s."), code="type",
                              params={"ext": ext or "?", "allowed": ", ".join(sorted(rules.types))})
    content_type, family = rules.types[ext]
    upload.seek(0)
    head = upload.read(SAMPLE_BYTES)
    upload.seek(0)
    if not looks_like(family, head):
        raise ValidationError(_("The file's content does not match its type “%(ext)s”."), code="content",
                              params={"ext": ext})
    return name, content_type


def download_response(stored, name: str, content_type: str = ""):
    """An uploaded file handed back: always a download, never sniffed, rendered in no context, not cached.

    ``stored`` is the model's file field; a file missing from storage is a 404. Callers check the role and the
    tenant (``get_object_or_404`` on a tenant-scoped model) and write their audit event once this returned.
    """
    from django.http import FileResponse, Http404

    from vendorvet.web.core.downloads import as_attachment

    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    response = as_attachment(FileResponse(handle, content_type=content_type or "application/octet-stream"), name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
