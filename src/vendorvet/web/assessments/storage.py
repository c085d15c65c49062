"""Where evidence files and read documents are stored: under ``MEDIA_ROOT/evidence``, without a URL."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class EvidenceStorage(FileSystemStorage):
    """Evidence lives under ``MEDIA_ROOT/evidence`` (read at use, so tests can move it) and has no URL:
    files are served only by the permission-checked download view."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / "evidence")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("evidence files have no public URL; use the download view")


def evidence_storage() -> FileSystemStorage:
    return EvidenceStorage()
