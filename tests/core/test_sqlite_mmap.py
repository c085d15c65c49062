"""The embedded SQLite database reads through memory mapping (every request opens a new connection; mapped pages
are shared, a connection's own page cache is not), sized by VENDORVET_SQLITE_MMAP_MB."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA mmap_size")
    print(cursor.fetchone()[0])
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""


def _probe(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VENDORVET_SQLITE_MMAP_MB")}
    environ.update(VENDORVET_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="vendorvet.web.settings", **env)
    return subprocess.run([sys.executable, "-c", PROBE], env=environ, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("setting, expected", [(None, 256 * 1024 * 1024), ("64", 64 * 1024 * 1024), ("0", 0)])
def test_mmap_size_of_a_new_connection(tmp_path, setting, expected):
    done = _probe(tmp_path, **({} if setting is None else {"VENDORVET_SQLITE_MMAP_MB": setting}))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(expected), "wal"]


def test_a_size_that_is_no_number_stops_the_start(tmp_path):
    done = _probe(tmp_path, VENDORVET_SQLITE_MMAP_MB="lots")
    assert done.returncode != 0
    assert "VENDORVET_SQLITE_MMAP_MB must be a whole number, not 'lots'" in done.stderr
