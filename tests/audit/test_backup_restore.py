"""``vendorvet backup`` / ``vendorvet restore`` end to end, each installation in its own process and data directory:
every table and every uploaded file identical after the round trip (hash-compared) on SQLite, on PostgreSQL and
from SQLite to PostgreSQL; encrypted archives; truncated or altered archives, a wrong passphrase and a non-empty
target are refused with nothing written.

The SQLite round trips run in the SQLite run of the suite, the PostgreSQL ones when DATABASE_URL is PostgreSQL.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple 2026"
ON_POSTGRES = (os.environ.get("DATABASE_URL") or "").startswith("postgres")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="runs in the SQLite run of the suite")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")


def _env(data_dir: Path, database_url: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(VENDORVET_DATA_DIR=str(data_dir), PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def vendorvet(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vendorvet.cli.main", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=600)


def tool(env: dict, action: str) -> dict | None:
    result = subprocess.run([sys.executable, "-m", "tests.audit.backup_tools", action], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout) if action == "digest" else None


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_identical(restored: dict, original: dict) -> None:
    assert restored.pop("file_modes") == ["0o600", "0o700"]
    original = {k: v for k, v in original.items() if k != "file_modes"}
    differing = sorted(k for k in original if restored.get(k) != original[k])
    assert differing == [], differing
    assert restored == original
    assert len(original["files"]) == 4  # the contract, the evidence file and the demo's two certificate documents
    assert int(original["audit.auditevent"].split(":")[0]) > 5 and int(original["auth.permission"].split(":")[0])


def nothing_written(data_dir: Path) -> None:
    database = data_dir / "vendorvet.sqlite3"
    if database.exists():
        tables = sqlite3.connect(database).execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        assert tables == []
    media = data_dir / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory):
    """A seeded SQLite installation, its digest, a plain and an encrypted archive of it."""
    base = tmp_path_factory.mktemp("backup-sqlite")
    env = _env(base / "source")
    tool(env, "seed")
    digest = tool(env, "digest")
    plain, sealed = base / "plain.vvbackup", base / "sealed.vvbackup"
    result = vendorvet(env, "backup", str(plain))
    assert result.returncode == 0, result.stderr
    digest_sealed = tool(env, "digest")  # the first backup added its own audit event
    result = vendorvet(env, "backup", str(sealed), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    return {"base": base, "env": env, "digest": digest, "plain": plain, "sealed": sealed,
            "digest_sealed": digest_sealed}


@sqlite_only
def test_round_trip_on_sqlite(sqlite_source):
    plain = sqlite_source["plain"]
    assert mode(plain) == 0o600
    with tarfile.open(plain, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["vendorvet_version"] and manifest["database_vendor"] == "sqlite"
    assert ["audit", "0001_initial"] in manifest["migrations"]
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"]) and manifest["missing_files"] == []
    target = sqlite_source["base"] / "restored"
    env = _env(target)
    result = vendorvet(env, "restore", str(plain))
    assert result.returncode == 0, result.stderr
    assert_identical(tool(env, "digest"), sqlite_source["digest"])
    assert mode(target / "vendorvet.sqlite3") == 0o600
    verify = vendorvet(env, "audit", "verify")
    assert verify.returncode == 0 and "intact" in verify.stdout
    again = vendorvet(env, "restore", str(plain))
    assert again.returncode == 1 and "EMPTY installation" in again.stderr and "nothing was written" in again.stderr
    # the source's backup itself is in its audit log
    log = vendorvet(sqlite_source["env"], "audit", "export")
    assert '"kind": "backup.created"' in log.stdout


@sqlite_only
def test_encrypted_archive_and_wrong_or_missing_passphrase(sqlite_source):
    sealed = sqlite_source["sealed"]
    assert mode(sealed) == 0o600 and not tarfile.is_tarfile(sealed)
    assert b"rita.restore" not in sealed.read_bytes() and b"%PDF" not in sealed.read_bytes()
    target = sqlite_source["base"] / "sealed-target"
    env = _env(target)
    wrong = vendorvet(env, "restore", str(sealed), "--passphrase-stdin", stdin="not the passphrase at all\n")
    assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
    nothing_written(target)
    missing = vendorvet(env, "restore", str(sealed))
    assert missing.returncode == 1 and "encrypted" in missing.stderr
    nothing_written(target)
    right = vendorvet(env, "restore", str(sealed), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert right.returncode == 0, right.stderr
    assert_identical(tool(env, "digest"), sqlite_source["digest_sealed"])


def _rewrite_tar(source: Path, target: Path, change) -> None:
    with tarfile.open(source, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz, tarfile.open(fileobj=gz, mode="w") as out:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    target.write_bytes(buf.getvalue())


@sqlite_only
def test_truncated_and_tampered_archives_are_refused_with_nothing_written(sqlite_source):
    base = sqlite_source["base"]
    plain, sealed = sqlite_source["plain"], sqlite_source["sealed"]
    cases = {}
    data = plain.read_bytes()
    (base / "truncated").write_bytes(data[: len(data) // 2])
    cases["truncated"] = ("truncated or damaged", [])

    def evil_row(name, content):
        return content.replace(b"rita.restore", b"rita.evil!!!") if name.startswith("db/") else content

    _rewrite_tar(plain, base / "tampered-row", evil_row)
    cases["tampered-row"] = ("does not match its SHA-256", [])

    def evil_file(name, content):
        return content + b"<script>" if name.startswith("media/") else content

    _rewrite_tar(plain, base / "tampered-file", evil_file)
    cases["tampered-file"] = ("does not match its SHA-256", [])
    raw = bytearray(sealed.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    (base / "sealed-flipped").write_bytes(bytes(raw))
    cases["sealed-flipped"] = ("altered", ["--passphrase-stdin"])
    (base / "sealed-cut").write_bytes(sealed.read_bytes()[:-40])
    cases["sealed-cut"] = ("truncated", ["--passphrase-stdin"])
    for name, (message, extra) in cases.items():
        target = base / f"target-{name}"
        result = vendorvet(_env(target), "restore", str(base / name), *extra, stdin=PASSPHRASE + "\n")
        assert result.returncode == 1 and message in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr
        nothing_written(target)


@sqlite_only
def test_backup_refuses_to_overwrite_and_short_passphrases(sqlite_source):
    env = sqlite_source["env"]
    existing = vendorvet(env, "backup", str(sqlite_source["plain"]))
    assert existing.returncode == 1 and "exists already" in existing.stderr
    short = vendorvet(env, "backup", str(sqlite_source["base"] / "x.vvbackup"), "--passphrase-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    assert not (sqlite_source["base"] / "x.vvbackup").exists()


# ----------------------------------------------------------------------------- PostgreSQL


def _pg_url(suffix: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{parts.path.lstrip('/') or 'vendorvet'}_{suffix}{worker}"
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _fresh_pg(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def _drop_pg(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


@pytest.fixture
def pg_databases():
    urls = []

    def make(suffix):
        urls.append(_fresh_pg(_pg_url(suffix)))
        return urls[-1]

    yield make
    for url in urls:
        _drop_pg(url)


@postgres_only
def test_round_trip_on_postgresql(tmp_path, pg_databases):
    source = _env(tmp_path / "source", pg_databases("bk_src"))
    tool(source, "seed")
    digest = tool(source, "digest")
    archive = tmp_path / "pg.vvbackup"
    result = vendorvet(source, "backup", str(archive), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    target = _env(tmp_path / "target", pg_databases("bk_dst"))
    result = vendorvet(target, "restore", str(archive), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert_identical(tool(target, "digest"), digest)
    assert vendorvet(target, "audit", "verify").returncode == 0
    # the sequences were moved past the restored ids: new rows get fresh ids
    check = vendorvet(target, "createadmin", "new.admin", "--tenant", "fresh", "--tenant-name", "Fresh GmbH",
                      "--password-stdin", stdin="another-long-passw0rd!\n")
    assert check.returncode == 0, check.stderr


@postgres_only
def test_sqlite_to_postgresql(tmp_path, pg_databases):
    source = _env(tmp_path / "source")
    tool(source, "seed")
    digest = tool(source, "digest")
    archive = tmp_path / "lite.vvbackup"
    assert vendorvet(source, "backup", str(archive)).returncode == 0
    target = _env(tmp_path / "target", pg_databases("bk_lite"))
    result = vendorvet(target, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert_identical(tool(target, "digest"), digest)
    assert vendorvet(target, "audit", "verify").returncode == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_dump_reads_one_snapshot_while_the_server_writes():
    import threading

    from django.db import connections

    from vendorvet.web.accounts.models import Tenant
    from vendorvet.web.backup.dump import snapshot

    def late_writer():
        Tenant.objects.create(name="Late GmbH", slug="late")
        connections.close_all()

    with snapshot():
        before = Tenant.objects.count()
        writer = threading.Thread(target=late_writer)
        writer.start()
        writer.join()
        assert Tenant.objects.count() == before  # committed meanwhile, but not in the snapshot
    assert Tenant.objects.count() == before + 1
