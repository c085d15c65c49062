"""Evidence uploads: which files an assessment accepts, and where they are stored.

The type and size rules themselves live in :mod:`vendorvet.web.core.uploads` (shared with contract files).
The stored name is random (``<tenant id>/<32 hex>``), so the uploader's file name never reaches the file
system; the original name, reduced to a plain base name, is kept for display and the download header only.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings

from vendorvet.web.core import uploads

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "txt", "csv", "md", "docx", "xlsx", "pptx")


def rules() -> uploads.UploadRules:
    return uploads.UploadRules(EXTENSIONS, int(getattr(settings, "VENDORVET_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)),
                               default_name="evidence")


def validate_upload(upload) -> tuple[str, str]:
    """Raise ValidationError unless the upload is allowed as evidence; return (display name, content type)."""
    return uploads.validate_upload(upload, rules())


def storage_name(tenant_id: int) -> str:
    return f"{int(tenant_id)}/{uuid.uuid4().hex}"


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
