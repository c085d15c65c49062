"""WhiteNoise's file table, built once per test run instead of once per test client.

Every Django test client (and every live server) builds its own middleware chain, and WhiteNoise's middleware
walks all static files at construction (``WHITENOISE_USE_FINDERS``) and builds a response object with headers
for each (~190 files): about a quarter of a simple API test's time went there. ``install()`` wraps
``add_files_from_finders`` so that a middleware built with the same configuration over the same files (same
paths, sizes and modification times, checked every time) reuses the table the first one built; a changed file
or setting builds a new one, exactly as WhiteNoise would. Static files are still served by WhiteNoise itself.
"""

from __future__ import annotations

import os

_tables: dict = {}


def install() -> None:
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from whitenoise.middleware import WhiteNoiseMiddleware

    if getattr(WhiteNoiseMiddleware, "_vv_cached", False):
        return
    build = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self):
        listing = []
        for finder in finders.get_finders():
            for path, storage in finder.list(None):
                full = storage.path(path)
                stat = os.stat(full)
                listing.append((getattr(storage, "prefix", None), path, full, stat.st_size, stat.st_mtime_ns))
        key = (self.static_prefix, self.max_age, self.allow_all_origins, self.charset, self.add_headers_function,
               self.index_file, repr(getattr(settings, "WHITENOISE_MIMETYPES", None)),
               repr(getattr(settings, "WHITENOISE_IMMUTABLE_FILE_TEST", None)), tuple(settings.STATICFILES_FINDERS),
               tuple(map(str, settings.STATICFILES_DIRS)), tuple(settings.INSTALLED_APPS), tuple(listing))
        table = _tables.get(key)
        if table is None:
            before = dict(self.files)
            build(self)
            table = {url: f for url, f in self.files.items() if before.get(url) is not f}
            _tables[key] = table
        self.files.update(table)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    WhiteNoiseMiddleware._vv_cached = True
