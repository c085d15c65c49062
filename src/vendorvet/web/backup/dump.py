"""``vendorvet backup``: one archive with the database (portable JSON lines), the uploaded files and a manifest.

The database is read in one snapshot (a REPEATABLE READ, read-only transaction on PostgreSQL; one read transaction
on SQLite, which in WAL mode does not block the running server's writers), every model in dependency order,
each row serialised by Django's serialisers — so the archive is backend-neutral and restores into SQLite or
PostgreSQL. The uploaded files are copied after the snapshot, exactly those its rows reference. Every member's
SHA-256 and size go into ``manifest.json`` together with the vendorvet version and the migration state.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

from vendorvet import __version__
from vendorvet.web.backup import crypto

FORMAT, FORMAT_VERSION = "vendorvet-backup", 1
# Not backed up: live login sessions (bearer credentials; users log in again after a restore).
EXCLUDED = {"sessions.session"}
BATCH = 1000


class BackupError(RuntimeError):
    pass


def backed_up_models() -> list[type[models.Model]]:
    # many-to-many tables are backed up as tables of their own, so their rows keep their ids too
    pairs = [(config, list(config.get_models(include_auto_created=True))) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(pairs, allow_cycles=True)
    return [m for m in ordered if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in EXCLUDED]


def _default(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()  # full microseconds (DjangoJSONEncoder would cut them to milliseconds)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        raise TypeError("binary values are serialised by the field")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(record: dict) -> str:
    return json.dumps(record, default=_default, ensure_ascii=False, sort_keys=True)


@contextmanager
def snapshot():
    """One consistent read of the database while the server keeps running."""
    if connection.in_atomic_block:  # already inside a transaction (tests): it is the snapshot
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:
            cursor.execute("BEGIN")  # deferred: the snapshot starts at the first read, writers go on (WAL)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def migration_state() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


class _HashingWriter:
    def __init__(self, path: Path):
        self.path = path
        self.handle = open(path, "w", encoding="utf-8", newline="\n")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(text)

    def close(self) -> None:
        self.handle.close()


def _dump_database(staging: Path) -> tuple[list[dict], dict[str, set[str]], list[list[str]]]:
    serializer = serializers.get_serializer("python")
    tables: list[dict] = []
    referenced: dict[str, set[str]] = {}
    (staging / "db").mkdir()
    with snapshot():
        state = migration_state()
        for number, model in enumerate(backed_up_models(), 1):
            label = model._meta.label_lower
            member = f"db/{number:03d}-{label}.jsonl"
            writer = _HashingWriter(staging / member)
            file_fields = _file_fields(model)
            columns = [f.name for f in model._meta.concrete_fields if not f.primary_key]  # no many-to-many
            rows = 0
            batch: list = []

            def flush():
                nonlocal rows
                for record in serializer().serialize(batch, fields=columns):
                    writer.write(dumps({"pk": record["pk"], "fields": record["fields"]}) + "\n")
                    rows += 1
                for obj in batch:
                    for f in file_fields:
                        name = getattr(obj, f.attname).name
                        if name:
                            try:
                                referenced.setdefault(f.storage.path(name), set()).add(label)
                            except (SuspiciousFileOperation, NotImplementedError):
                                referenced.setdefault(name, set()).add(label)  # reported as missing
                batch.clear()

            try:
                for obj in model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
                    batch.append(obj)
                    if len(batch) >= BATCH:
                        flush()
                flush()
            finally:
                writer.close()
            tables.append({"model": label, "member": member, "rows": rows, "sha256": writer.digest.hexdigest(),
                           "size": writer.size})
    return tables, referenced, state


def media_member(path: str) -> str | None:
    """``media/<path relative to MEDIA_ROOT>``; None for a file outside MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = Path(path).resolve().relative_to(root)
    except ValueError:
        return None
    return "media/" + relative.as_posix()


def create(path: str | os.PathLike, passphrase: str | None = None, progress=None) -> dict:
    """Write the archive to ``path`` (mode 0600; refuses to overwrite). Returns the manifest."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    if passphrase is not None and len(passphrase) < crypto.MIN_PASSPHRASE:
        raise BackupError(f"the passphrase must have at least {crypto.MIN_PASSPHRASE} characters")
    say = progress or (lambda message: None)
    with tempfile.TemporaryDirectory(prefix=".vendorvet-backup-", dir=target.parent) as tmp:
        os.chmod(tmp, 0o700)
        staging = Path(tmp) / "archive"
        staging.mkdir(mode=0o700)
        tables, referenced, state = _dump_database(staging)
        say(f"database: {sum(t['rows'] for t in tables)} rows in {len(tables)} tables")
        files, missing = [], []
        for source in sorted(referenced):  # after the snapshot: exactly the files its rows name
            member = media_member(source)
            if member is None or not os.path.isfile(source):
                missing.append(member or source)
                continue
            copy = staging / member
            copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(source, copy)
            digest, size = _hash_file(copy)
            files.append({"member": member, "sha256": digest, "size": size})
        say(f"files: {len(files)} uploaded files" + (f", {len(missing)} missing from storage" if missing else ""))
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "vendorvet_version": __version__,
            "created": timezone.now().isoformat(), "database_vendor": connection.vendor, "migrations": state,
            "tables": tables, "files": files, "missing_files": missing, "excluded": sorted(EXCLUDED),
            "encrypted": passphrase is not None,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        tar_path = Path(tmp) / "archive.tar.gz"
        fd = os.open(tar_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(staging / "manifest.json", arcname="manifest.json")
            for entry in [t["member"] for t in tables] + [f["member"] for f in files]:
                tar.add(staging / entry, arcname=entry)
        part = target.with_name(target.name + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out, open(tar_path, "rb") as source:
                if passphrase is None:
                    shutil.copyfileobj(source, out, 1024 * 1024)
                else:
                    crypto.encrypt(source, out, passphrase)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(part, 0o600)
            os.replace(part, target)
        finally:
            if part.exists():
                part.unlink()
    return manifest
