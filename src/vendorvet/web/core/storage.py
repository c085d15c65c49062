"""Private file storage: uploaded evidence and contracts are readable by the vendorvet user only.

Files are written with mode 0600 and directories with 0700, whatever the process umask or the settings say:
they hold contracts and audit evidence, and are served only through permission-checked views.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class PrivateFileSystemStorage(FileSystemStorage):
    def __init__(self, location=None, base_url=None, file_permissions_mode=None, directory_permissions_mode=None):
        super().__init__(location=location, base_url=base_url,
                         file_permissions_mode=file_permissions_mode or FILE_MODE,
                         directory_permissions_mode=directory_permissions_mode or DIRECTORY_MODE)
