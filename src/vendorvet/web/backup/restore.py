"""``vendorvet restore``: an archive from ``vendorvet backup`` into an EMPTY installation.

Everything is checked before anything is written: the passphrase (and every encrypted part), that the archive is
complete, that every member's SHA-256 and size match the manifest, that the installation is at the archive's
migration state and holds no data. Then all rows are written in one transaction (content types and permissions
are replaced by the archive's, so every foreign key to them keeps its meaning), the uploaded files are put back
(0600), PostgreSQL's sequences are moved past the restored ids — or, on any error, nothing stays behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.base import DeserializationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from vendorvet.engine import jsondepth
from vendorvet.web.backup import crypto
from vendorvet.web.backup.dump import BATCH, FORMAT, FORMAT_VERSION, backed_up_models, migration_state

MEMBER = re.compile(r"^(manifest\.json|db/\d{3}-[a-z0-9_]+\.[a-z0-9_]+\.jsonl|media/[^\x00]+)$")
REPLACED = {"contenttypes.contenttype", "auth.permission"}  # created by migrate; replaced by the archive's


class RestoreError(RuntimeError):
    pass


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _safe(name: str) -> bool:
    parts = name.split("/")
    return bool(MEMBER.match(name)) and ".." not in parts and "" not in parts and not name.startswith("/")


def unpack(archive: Path, workdir: Path, passphrase: str | None) -> dict:
    """Decrypt (if needed), extract and verify; returns the manifest. Raises RestoreError with the reason."""
    if not archive.is_file():
        raise RestoreError(f"{archive}: no such file")
    tar_path = archive
    if crypto.is_encrypted(archive):
        if passphrase is None:
            raise RestoreError("the archive is encrypted: give its passphrase with --passphrase-stdin")
        tar_path = workdir / "archive.tar.gz"
        fd = os.open(tar_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with open(archive, "rb") as source, os.fdopen(fd, "wb") as target:
                crypto.decrypt(source, target, passphrase)
        except crypto.DecryptionError as exc:
            raise RestoreError(str(exc)) from None
    extracted = workdir / "archive"
    extracted.mkdir(mode=0o700)
    names = []
    try:
        with tarfile.open(tar_path, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe(member.name) or member.name in names:
                    raise RestoreError(f"the archive holds an unexpected entry {member.name!r}; it was not made by "
                                       "'vendorvet backup' or was altered")
                names.append(member.name)
                destination = extracted / member.name
                destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                source = tar.extractfile(member)
                fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, RestoreError):
            raise
        raise RestoreError(f"the archive is truncated or damaged ({type(exc).__name__}: {exc})") from None
    if "manifest.json" not in names:
        raise RestoreError("the archive has no manifest.json; it was not made by 'vendorvet backup'")
    try:
        manifest = jsondepth.loads((extracted / "manifest.json").read_text(encoding="utf-8"))
        expected = {t["member"]: (t["sha256"], t["size"]) for t in manifest["tables"]}
        expected.update({f["member"]: (f["sha256"], f["size"]) for f in manifest["files"]})
    except (ValueError, KeyError, TypeError):
        raise RestoreError("the archive's manifest is unreadable") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreError("the archive's format is not one this vendorvet version reads")
    present = set(names) - {"manifest.json"}
    if present != set(expected):
        lost, extra = sorted(set(expected) - present), sorted(present - set(expected))
        raise RestoreError("the archive does not match its manifest: "
                           + (f"missing {', '.join(lost[:5])}" if lost else f"unlisted {', '.join(extra[:5])}"))
    for name, (digest, size) in sorted(expected.items()):
        if _sha256(extracted / name) != (digest, size):
            raise RestoreError(f"{name} does not match its SHA-256 in the manifest: the archive was altered")
    manifest["_dir"] = str(extracted)
    return manifest


def _has_schema() -> bool:
    return "django_migrations" in connection.introspection.table_names()


def _non_empty_tables() -> list[str]:
    busy = []
    for model in backed_up_models():
        if model._meta.label_lower in REPLACED:
            continue
        if model._base_manager.exists():
            busy.append(model._meta.label_lower)
    return busy


def check_target(manifest: dict, migrate: bool = True) -> None:
    if not _has_schema():
        if not migrate:
            raise RestoreError("this installation has no database schema yet: run 'vendorvet migrate' first")
        call_command("migrate", interactive=False, verbosity=0)
    ours, theirs = migration_state(), manifest["migrations"]
    if ours != theirs:
        missing = [f"{a}.{n}" for a, n in theirs if [a, n] not in ours][:3]
        newer = [f"{a}.{n}" for a, n in ours if [a, n] not in theirs][:3]
        raise RestoreError(
            f"the archive was made by vendorvet {manifest.get('vendorvet_version')} at another migration state "
            f"(archive only: {', '.join(missing) or '—'}; this installation only: {', '.join(newer) or '—'}). "
            "Restore with the vendorvet version that made it, then upgrade.")
    busy = _non_empty_tables()
    if busy:
        raise RestoreError("restore only into an EMPTY installation; this one already holds data in "
                           f"{', '.join(busy[:6])}{' …' if len(busy) > 6 else ''}")
    clashes = [f["member"] for f in manifest["files"] if _media_target(f["member"]).exists()]
    if clashes:
        raise RestoreError(f"uploaded files exist already in MEDIA_ROOT ({clashes[0]} …); restore into an empty "
                           "data directory")


def _media_target(member: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / member[len("media/"):]).resolve()
    if not target.is_relative_to(root):
        raise RestoreError(f"{member} points outside MEDIA_ROOT")
    return target


def _load_table(path: Path, model) -> int:
    count = 0
    batch = []
    m2m: list = []

    fields = list(model._meta.local_concrete_fields)

    def flush():
        objects = [d.object for d in batch]
        # a raw insert, like loaddata's: stored values as they are (bulk_create would re-stamp auto_now fields)
        size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objects) or BATCH))
        for start in range(0, len(objects), size):
            model._base_manager._insert(objects[start:start + size], fields=fields, raw=True)
        for d in batch:
            for field_name, values in (d.m2m_data or {}).items():
                if values:
                    m2m.append((field_name, d.object.pk, values))
        batch.clear()

    with open(path, encoding="utf-8") as handle:
        label = model._meta.label_lower
        for number, line in enumerate(handle, 1):
            try:
                record = jsondepth.loads(line)
            except jsondepth.TooDeeplyNested as exc:
                raise RestoreError(f"{Path(path).name}, line {number}: {exc}") from None
            record["model"] = label
            batch.extend(serializers.deserialize("python", [record], ignorenonexistent=False,
                                                 handle_forward_references=False))
            count += 1
            if len(batch) >= BATCH:
                flush()
        flush()
    for field_name, pk, values in m2m:
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        through._base_manager.bulk_create([through(**{f"{source}_id": pk, f"{target}_id": v}) for v in values])
    return count


def _write_files(manifest: dict, written: list[Path]) -> None:
    source_dir = Path(manifest["_dir"])
    for entry in manifest["files"]:
        target = _media_target(entry["member"])
        for folder in reversed([p for p in target.parents if not p.exists()]):
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
            written.append(folder)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        written.append(target)
        with os.fdopen(fd, "wb") as out, open(source_dir / entry["member"], "rb") as source:
            shutil.copyfileobj(source, out, 1024 * 1024)


def load(manifest: dict, progress=None) -> dict[str, int]:
    """Write every row and file in one transaction; on failure nothing is left behind."""
    say = progress or (lambda message: None)
    models_by_label = {m._meta.label_lower: m for m in backed_up_models()}
    unknown = [t["model"] for t in manifest["tables"] if t["model"] not in models_by_label]
    if unknown:
        raise RestoreError(f"the archive has tables this installation does not know: {', '.join(unknown[:5])}")
    source_dir = Path(manifest["_dir"])
    counts: dict[str, int] = {}
    written: list[Path] = []
    try:
        with transaction.atomic():
            Permission.objects.all().delete()
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            for table in manifest["tables"]:
                counts[table["model"]] = _load_table(source_dir / table["member"], models_by_label[table["model"]])
                if counts[table["model"]] != table["rows"]:
                    raise RestoreError(f"{table['member']}: {counts[table['model']]} rows, the manifest says "
                                       f"{table['rows']}")
            reset = connection.ops.sequence_reset_sql(no_style(), list(models_by_label.values()))
            if reset:
                with connection.cursor() as cursor:
                    for statement in reset:
                        cursor.execute(statement)
            ContentType.objects.clear_cache()
            for config in apps.get_app_configs():  # what this version has and the archive lacks
                create_contenttypes(config, verbosity=0)
                create_permissions(config, verbosity=0)
            connection.check_constraints()
            _write_files(manifest, written)
            say(f"database: {sum(counts.values())} rows in {len(counts)} tables; files: {len(manifest['files'])}")
    except BaseException:
        for path in reversed(written):
            try:
                path.rmdir() if path.is_dir() else path.unlink()
            except OSError:
                pass
        ContentType.objects.clear_cache()
        raise
    ContentType.objects.clear_cache()
    return counts


def restore(path, passphrase: str | None = None, progress=None) -> dict:
    with tempfile.TemporaryDirectory(prefix="vendorvet-restore-") as tmp:
        os.chmod(tmp, 0o700)
        manifest = unpack(Path(path), Path(tmp), passphrase)
        check_target(manifest)
        try:
            load(manifest, progress)
        except (DatabaseError, DeserializationError) as exc:
            raise RestoreError(f"the database refused the archive's rows ({type(exc).__name__}: {exc})") from None
        manifest.pop("_dir", None)
        return manifest
