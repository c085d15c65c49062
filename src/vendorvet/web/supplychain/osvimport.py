"""Importing an OSV dump from the web UI (administrators): an upload, an operator-allowed server path, or
the demo subset — run as a background task with its progress in a small state file next to the database.

The OSV database is installation-wide public data (not tenant data), so the job state is a JSON file in
the data directory (``osv-import.json``), written atomically. The import itself is one SQLite transaction
in strict mode: a truncated or malformed dump stores nothing and the state says why. After a successful
import the changed advisories are re-matched against every tenant's latest SBOMs (``rematch``).

``VENDORVET_OSV_IMPORT_PATHS``: comma-separated files or directories on the server an administrator may
import from (nothing else on the server can be named).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from vendorvet.engine.supplychain.store import ImportError_, OsvStore
from vendorvet.web.accounts import roles
from vendorvet.web.supplychain import services

log = logging.getLogger(__name__)

DEMO_SOURCE = Path(__file__).resolve().parent / "demo_osv"
MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024  # osv.dev's all-ecosystem all.zip is about 1 GB
STALE_JOB_SECONDS = 6 * 3600  # a "running" job older than this (its worker died) no longer blocks a new one
REQUIRED_PERMISSION = roles.MANAGE_MEMBERS  # administrators only: the database serves every tenant


def state_path() -> Path:
    return services.osv_path().parent / "osv-import.json"


def upload_dir() -> Path:
    path = services.osv_path().parent / "osv-uploads"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def read_state() -> dict | None:
    try:
        return json.loads(state_path().read_text())
    except (OSError, ValueError):
        return None


def _write_state(state: dict) -> None:
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, path)


def running() -> bool:
    state = read_state()
    return bool(state and state.get("state") in ("queued", "running")
                and time.time() - state.get("updated", 0) < STALE_JOB_SECONDS)


def allowed_paths() -> list[Path]:
    raw = os.environ.get("VENDORVET_OSV_IMPORT_PATHS", "")
    return [Path(p.strip()).expanduser().resolve() for p in raw.split(",") if p.strip()]


def check_server_path(value: str) -> Path:
    """The server path if it is (inside) an allowed entry and exists; else ValidationError."""
    allowed = allowed_paths()
    if not allowed:
        raise ValidationError(_("No server paths are allowed for imports (the operator sets "
                                "VENDORVET_OSV_IMPORT_PATHS)."))
    path = Path(value.strip()).expanduser().resolve()
    if not any(path == a or a in path.parents for a in allowed):
        raise ValidationError(_("This path is not among the paths the operator allowed for imports."))
    if not path.exists():
        raise ValidationError(_("There is no file or directory at this path."))
    return path


def start(source: Path, *, label: str, cleanup: bool, user=None) -> dict:
    """Queue an import of ``source``; refuses while another import runs."""
    roles.require(REQUIRED_PERMISSION)
    if running():
        raise ValidationError(_("An import is already running; wait until it has finished."))
    state = {"id": secrets.token_hex(6), "state": "queued", "source": label, "started": time.time(),
             "updated": time.time(), "read": 0, "total": None, "ecosystems": [], "error": "",
             "by": getattr(user, "username", "") or ""}
    _write_state(state)
    from vendorvet.web.core import queue

    try:
        queue.enqueue(import_osv, str(source), label, cleanup, state["id"])
    except Exception as exc:  # the queue is down: say so instead of leaving "queued" forever
        log.exception("could not enqueue the OSV import")
        state.update(state="failed", error=_("The import could not be queued: %(error)s") % {"error": exc},
                     updated=time.time())
        _write_state(state)
    return read_state() or state


def save_upload(upload) -> Path:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 4 GB."))
    target = upload_dir() / f"{secrets.token_hex(8)}.zip"
    with open(target, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return target


@task()
def import_osv(source: str, label: str, cleanup: bool, job_id: str) -> dict:
    """The task: strict import in one transaction, progress in the state file, then re-match."""
    state = read_state() or {}
    if state.get("id") != job_id:
        state = {"id": job_id, "source": label, "started": time.time(), "by": ""}
    state.update(state="running", read=0, total=None, ecosystems=[], error="", updated=time.time())
    _write_state(state)
    last = [0.0]

    def progress(stats, ecosystems):
        now = time.time()
        if now - last[0] < 0.5 and stats.total and stats.read < stats.total:
            return
        last[0] = now
        state.update(read=stats.read, total=stats.total, ecosystems=ecosystems, updated=now)
        _write_state(state)

    try:
        with OsvStore(services.osv_path()) as store:
            stats = store.import_path(source, strict=True, progress=progress)
            state.update(added=stats.added, replaced=stats.replaced, unchanged=stats.unchanged,
                         withdrawn=stats.withdrawn)
            if stats.changed_ids:
                from vendorvet.web.supplychain import rematch

                report = rematch.rematch(store, stats.changed_ids)
                state["rematch_errors"] = len(report.errors)
        state.update(state="done", updated=time.time(), finished=time.time())
    except ImportError_ as exc:
        message = str(exc).replace(str(source), label)
        state.update(state="failed", error=message, updated=time.time(), finished=time.time())
    except Exception as exc:  # anything else: the transaction rolled back; record it, do not lose it
        log.exception("OSV import failed")
        state.update(state="failed", error=f"{type(exc).__name__}: {exc}"[:500], updated=time.time(),
                     finished=time.time())
    finally:
        if cleanup:
            Path(source).unlink(missing_ok=True)
    _write_state(state)
    return state


def percent(state: dict | None) -> int | None:
    if not state or not state.get("total"):
        return None
    return min(100, int(100 * (state.get("read") or 0) / state["total"]))


def import_demo_data() -> int | None:
    """``vendorvet demo``: import the demo subset into an EMPTY database (synchronously); the number of
    records added, or None when the database already holds data (never mixed into a real one)."""
    if not services.osv_status()["empty"]:
        return None
    with OsvStore(services.osv_path()) as store:
        stats = store.import_path(DEMO_SOURCE, strict=True)
        if stats.changed_ids:
            from vendorvet.web.supplychain import rematch

            rematch.rematch(store, stats.changed_ids)
    return stats.added
