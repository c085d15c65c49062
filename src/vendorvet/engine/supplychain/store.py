"""Offline OSV index: a SQLite file of records, keyed by (ecosystem, package name).

It is the vulnerability database (public data), not tenant data. Imports read osv.dev's
per-ecosystem ``all.zip`` files (streamed member by member), directories of ``*.json``
/ ``*.zip`` files, or single JSON records. Updates are incremental: a record whose
``modified`` is newer replaces the stored one, older or equal copies are skipped, and
``withdrawn`` records stay stored but never match.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

from vendorvet.engine import jsondepth
from vendorvet.engine.supplychain import osv

MAX_RECORD_BYTES = 16 * 1024 * 1024  # one OSV record; the largest real ones are well below 1 MB
BATCH = 5000

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn TEXT, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS packages (ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS packages_key ON packages (ecosystem, name);
CREATE INDEX IF NOT EXISTS packages_id ON packages (id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class ImportError_(ValueError):
    """A source that cannot be imported (clear message, nothing half-written per batch)."""


@dataclasses.dataclass
class ImportStats:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    invalid: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    read: int = 0  # records read so far (progress)
    total: int | None = None  # records expected, where known (zip members / files), for a percentage
    # ids of the records this import added or replaced (withdrawn ones included): what to re-match
    changed_ids: list[str] = dataclasses.field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        out.pop("changed_ids")
        out.pop("read")
        out.pop("total")
        return out


def default_path() -> Path:
    base = os.environ.get("VENDORVET_DATA_DIR")
    if base:
        root = Path(base).expanduser()
    else:
        import platformdirs

        root = Path(platformdirs.user_data_dir("vendorvet"))
    return root / "osv.sqlite3"


STALE_AFTER_DAYS = 7


def database_status(path: str | os.PathLike | None = None, now=None) -> dict:
    """A database's state for every surface (CLI, web, API, check-config, review point 10).

    ``records``, ``withdrawn``, ``ecosystems`` ({name: records}), ``imported_at`` (ISO, None if never),
    ``age_days``, ``empty`` and ``stale`` (older than STALE_AFTER_DAYS). A missing file is empty, not an error
    (and is not created).
    """
    from datetime import datetime, timezone

    path = Path(path) if path else default_path()
    if path.exists():
        with OsvStore(path) as store:
            status = store.status()
    else:
        status = {"path": str(path), "records": 0, "withdrawn": 0, "ecosystems": {}, "last_import": None,
                  "imported_at": None, "newest_modified": None}
    age = None
    if status["imported_at"]:
        try:
            age = max(0, ((now or datetime.now(timezone.utc)) - datetime.fromisoformat(status["imported_at"])).days)
        except (ValueError, TypeError):
            age = None
    status["age_days"] = age
    status["empty"] = not status["records"]
    status["stale"] = (not status["empty"]) and (age is None or age > STALE_AFTER_DAYS)
    return status


class OsvStore:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._cache: dict[str, dict] = {}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "OsvStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- import ---------------------------------------------------------------------
    def import_path(self, path: str | os.PathLike, *, strict: bool = False, progress=None) -> ImportStats:
        """Import a source in ONE transaction: a damaged archive stores nothing (``ImportError_``).

        ``strict``: an invalid record also refuses the whole import (the web upload); otherwise invalid
        records are skipped and counted. ``progress(stats, ecosystems)`` is called after every batch.
        """
        from datetime import datetime, timezone

        stats = ImportStats()
        ecosystems: set[str] = set()
        batch: list[dict] = []
        try:
            for record in iter_source(Path(path), stats):
                if strict and stats.invalid:
                    raise ImportError_(stats.errors[0])
                batch.append(record)
                if progress:  # only the web import reports ecosystems; the CLI path stays as fast as before
                    ecosystems.update(eco for eco, _name in osv.packages(record))
                if len(batch) >= BATCH:
                    self._write(batch, stats, commit=False)
                    batch = []
                    if progress:
                        progress(stats, sorted(ecosystems))
            if strict and stats.invalid:
                raise ImportError_(stats.errors[0])
            if batch:
                self._write(batch, stats, commit=False)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('last_import', ?)",
                            (datetime.now(timezone.utc).isoformat(timespec="seconds"),))
            self.db.commit()
        except BaseException:
            self.db.rollback()
            self._cache.clear()
            raise
        if progress:
            progress(stats, sorted(ecosystems))
        self._cache.clear()
        return stats

    def import_records(self, records: list[dict]) -> ImportStats:
        stats = ImportStats()
        valid = []
        for r in records:
            try:
                valid.append(osv.validate(r))
            except osv.InvalidRecord as exc:
                stats.invalid += 1
                stats.errors.append(str(exc))
        self._write(valid, stats)
        self._cache.clear()
        return stats

    def _write(self, batch: list[dict], stats: ImportStats, commit: bool = True) -> None:
        ids = [r["id"] for r in batch]
        existing: dict[str, str] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            q = "SELECT id, modified FROM records WHERE id IN (%s)" % ",".join("?" * len(chunk))
            existing.update(self.db.execute(q, chunk).fetchall())
        rows, pkg_rows, replaced_ids = [], [], []
        for r in batch:
            modified = r.get("modified") or ""
            old = existing.get(r["id"])
            if old is not None and old >= modified:  # RFC 3339 UTC timestamps compare as strings
                stats.unchanged += 1
                continue
            if old is not None:
                stats.replaced += 1
                replaced_ids.append(r["id"])
            else:
                stats.added += 1
            if r.get("withdrawn"):
                stats.withdrawn += 1
            existing[r["id"]] = modified
            stats.changed_ids.append(r["id"])
            blob = zlib.compress(json.dumps(r, separators=(",", ":")).encode(), 6)
            rows.append((r["id"], modified, r.get("withdrawn"), blob))
            pkg_rows.extend((eco, name, r["id"]) for eco, name in osv.packages(r))
        for i in range(0, len(replaced_ids), 900):
            chunk = replaced_ids[i:i + 900]
            self.db.execute("DELETE FROM packages WHERE id IN (%s)" % ",".join("?" * len(chunk)), chunk)
        self.db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?,?)", rows)
        self.db.executemany("INSERT INTO packages VALUES (?,?,?)", pkg_rows)
        if commit:
            self.db.commit()

    # -- reading ----------------------------------------------------------------------
    def status(self) -> dict:
        total, withdrawn = self.db.execute(
            "SELECT COUNT(*), COUNT(withdrawn) FROM records").fetchone()
        ecos = dict(self.db.execute(
            "SELECT ecosystem, COUNT(DISTINCT id) FROM packages GROUP BY ecosystem ORDER BY ecosystem").fetchall())
        last = self.db.execute("SELECT value FROM meta WHERE key='last_import'").fetchone()
        newest = self.db.execute("SELECT MAX(modified) FROM records").fetchone()[0]
        return {"path": str(self.path), "records": total, "withdrawn": withdrawn, "ecosystems": ecos,
                "last_import": last[0] if last else None, "imported_at": last[0] if last else None,
                "newest_modified": newest}

    def record(self, advisory_id: str) -> dict | None:
        if advisory_id in self._cache:
            return self._cache[advisory_id]
        row = self.db.execute("SELECT data FROM records WHERE id=?", (advisory_id,)).fetchone()
        rec = json.loads(zlib.decompress(row[0])) if row else None
        if rec is not None:
            self._cache[advisory_id] = rec
        return rec

    def all_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM records")]

    def packages_of(self, advisory_ids) -> set[tuple[str, str]]:
        """(ecosystem, normalised name) of the given records, withdrawn ones included."""
        ids, out = list(advisory_ids), set()
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            out.update(self.db.execute(
                "SELECT DISTINCT ecosystem, name FROM packages WHERE id IN (%s)" % ",".join("?" * len(chunk)),
                chunk).fetchall())
        return out

    def candidates(self, ecosystem: str, name: str) -> list[dict]:
        """Non-withdrawn records listing this package."""
        rows = self.db.execute(
            "SELECT r.id, r.data FROM packages p JOIN records r ON r.id = p.id "
            "WHERE p.ecosystem=? AND p.name=? AND r.withdrawn IS NULL",
            (ecosystem, osv.normalize_name(ecosystem, name))).fetchall()
        out = []
        for rid, blob in rows:
            rec = self._cache.get(rid)
            if rec is None:
                rec = json.loads(zlib.decompress(blob))
            out.append(rec)
        return out


def _load_json(data: bytes, origin: str, stats: ImportStats) -> Iterator[dict]:
    try:
        doc = jsondepth.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:  # TooDeeplyNested is a ValueError: counted invalid
        stats.invalid += 1
        stats.errors.append(f"{origin}: not JSON ({exc})")
        return
    for rec in doc if isinstance(doc, list) else [doc]:
        try:
            yield osv.validate(rec)
        except osv.InvalidRecord as exc:
            stats.invalid += 1
            stats.errors.append(f"{origin}: {exc}")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str) -> bytes | None:
    """A member's bytes, read with OUR cap (the header's sizes may lie); None if over the cap.

    A member whose data does not match its header (sizes understated or overstated, CRC wrong, deflate
    stream cut off) is a damaged archive: ``ImportError_`` with the member named, never a traceback.
    """
    try:
        with archive.open(info) as fh:
            data = fh.read(MAX_RECORD_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
        raise ImportError_(f"{origin}: the archive is damaged or truncated ({exc})") from None
    if len(data) > MAX_RECORD_BYTES:
        return None
    return data


def _iter_zip(path: Path, stats: ImportStats) -> Iterator[dict]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportError_(f"{path}: not a complete zip archive ({exc})") from None
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir() and i.filename.endswith(".json")]
        stats.total = (stats.total or 0) + len(members)
        for info in members:
            origin = f"{path}:{info.filename}"
            stats.read += 1
            if info.file_size > MAX_RECORD_BYTES:
                stats.invalid += 1
                stats.errors.append(f"{origin}: larger than {MAX_RECORD_BYTES} bytes, skipped")
                continue
            data = _read_member(archive, info, origin)
            if data is None:
                stats.invalid += 1
                stats.errors.append(f"{origin}: too large, skipped")
                continue
            yield from _load_json(data, origin, stats)


def iter_source(path: Path, stats: ImportStats) -> Iterator[dict]:
    if not path.exists():
        raise ImportError_(f"{path}: no such file or directory")
    if path.is_dir():
        children = [c for c in sorted(path.rglob("*")) if c.is_file() and c.suffix in (".json", ".zip")]
        stats.total = (stats.total or 0) + sum(1 for c in children if c.suffix == ".json")  # zips add theirs
        for child in children:
            yield from iter_source(child, stats)
        return
    if path.suffix == ".zip" or zipfile.is_zipfile(path):
        yield from _iter_zip(path, stats)
        return
    if path.stat().st_size > MAX_RECORD_BYTES * 8:
        raise ImportError_(f"{path}: a single JSON file this large is not an OSV record; use all.zip")
    stats.read += 1
    yield from _load_json(path.read_bytes(), str(path), stats)
