"""Restrictive file modes: uploaded evidence and contracts 0600 in 0700 folders, the SQLite file 0600, the data
directory 0700 — whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from tests.legal.conftest import legal_a  # noqa: F401  (fixture)
from tests.web.conftest import login  # noqa: F401  (fixture)

SRC = Path(__file__).resolve().parents[2] / "src"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o002)  # a umask that would leave files group-writable and world-readable
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_uploaded_contract_is_0600_in_0700_folders(assessor_a, legal_a, login, media, loose_umask):  # noqa: F811
    from vendorvet.web.core.context import use_tenant
    from vendorvet.web.legal.models import Contract

    acme = legal_a["acme"]
    response = login(assessor_a).post(reverse("legal:contract_add", args=[acme.pk]), {
        "type": "dpa", "title": "AVV Acme", "notice_period_days": "90",
        "upload": SimpleUploadedFile("avv.pdf", b"%PDF-1.7 test")})
    assert response.status_code == 302
    with use_tenant(acme.tenant):
        stored = Path(Contract.objects.get(vendor=acme).file.path)
    assert stored.is_relative_to(media) and stored.read_bytes() == b"%PDF-1.7 test"
    assert mode(stored) == 0o600
    folder = stored.parent
    while folder != media.parent:
        assert mode(folder) == 0o700, folder
        folder = folder.parent


def test_evidence_storage_small_and_streamed_uploads_are_0600(media, loose_umask):
    from vendorvet.web.assessments.models import evidence_storage

    storage = evidence_storage()
    small = storage.save("1/small.pdf", ContentFile(b"%PDF-1.7 small"))
    big = TemporaryUploadedFile("big.pdf", "application/pdf", 0, None)
    big.write(b"%PDF-1.7 " + b"x" * 100_000)
    big.flush()
    streamed = storage.save("1/big.pdf", big)  # moved from the temporary upload file, then chmod-ed
    try:
        big.close()
    except FileNotFoundError:  # it was moved into the storage
        pass
    for name in (small, streamed):
        assert mode(storage.path(name)) == 0o600
    assert mode(Path(storage.path(small)).parent) == 0o700 and mode(media / "evidence") == 0o700


def test_default_storage_is_the_private_one(media, loose_umask):
    from django.core.files.storage import default_storage, storages

    from vendorvet.web.core.storage import PrivateFileSystemStorage

    assert isinstance(storages["default"], PrivateFileSystemStorage)
    name = default_storage.save("legal/9/x.pdf", ContentFile(b"%PDF-1.7"))
    assert mode(default_storage.path(name)) == 0o600 and mode(media / "legal" / "9") == 0o700


def _migrate(data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(VENDORVET_DATA_DIR=str(data_dir), PYTHONPATH=str(SRC))
    result = subprocess.run([sys.executable, "-c", "import os; os.umask(0o002); "
                             "from vendorvet.cli.main import main; raise SystemExit(main(['migrate']))"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_sqlite_database_and_data_dir_are_private(tmp_path):
    data_dir = tmp_path / "fresh" / "vendorvet"
    _migrate(data_dir)
    database = data_dir / "vendorvet.sqlite3"
    assert mode(data_dir) == 0o700
    assert mode(database) == 0o600
    for extra in ("vendorvet.sqlite3-wal", "vendorvet.sqlite3-shm", "secret_key"):
        if (data_dir / extra).exists():
            assert mode(data_dir / extra) == 0o600, extra
    # a database file left world-readable by an older version is tightened at the next start
    os.chmod(database, 0o644)
    _migrate(data_dir)
    assert mode(database) == 0o600
