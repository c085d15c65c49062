"""``vendorvet backup PATH`` and ``vendorvet restore PATH``: the whole installation in one archive.

For operators: the archive holds every tenant's data (and the users' password hashes), so it is written with
mode 0600 and can be encrypted with a passphrase read from standard input.
"""

from __future__ import annotations

import argparse
import sys

from vendorvet.cli.runtime import CLIError, setup_django


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup", help="write the database and the uploaded files into one archive",
        description="Write one archive (mode 0600) with the database of every tenant as portable JSON lines, the "
        "uploaded evidence and contract files and a manifest with the SHA-256 of every member, the vendorvet "
        "version and the migration state. Consistent while the server runs. Restores into SQLite or PostgreSQL.")
    backup.add_argument("path", metavar="PATH", help="the archive to write (must not exist yet)")
    backup.add_argument("--passphrase-stdin", action="store_true",
                        help="encrypt with a passphrase (at least 12 characters) read from the first line of "
                        "standard input (AES-256-GCM, key from scrypt)")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore", help="restore an archive from 'vendorvet backup' into an empty installation",
        description="Restore into an EMPTY installation (a new data directory or database; the schema is "
        "created if missing). Every member's hash is verified before anything is written; the rows are written "
        "in one transaction. Logged-in sessions are not part of a backup: users log in again.")
    restore.add_argument("path", metavar="PATH", help="the archive")
    restore.add_argument("--passphrase-stdin", action="store_true",
                         help="the archive's passphrase, from the first line of standard input")
    restore.set_defaults(func=run_restore)


def _passphrase(args) -> str | None:
    if not args.passphrase_stdin:
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CLIError("--passphrase-stdin: standard input held no passphrase", 2)
    return line


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def run_backup(args: argparse.Namespace) -> int:
    passphrase = _passphrase(args)
    setup_django()
    from vendorvet.web.backup.dump import BackupError, create
    from vendorvet.web.core.security import audit

    try:
        manifest = create(args.path, passphrase, progress=_say)
    except BackupError as exc:
        raise CLIError(str(exc)) from None
    audit("backup.created", actor_kind="cli", encrypted=passphrase is not None,
          tables=len(manifest["tables"]), files=len(manifest["files"]))
    if manifest["missing_files"]:
        _say(f"warning: {len(manifest['missing_files'])} referenced files were missing from storage and are not "
             f"in the archive: {', '.join(manifest['missing_files'][:5])}")
    print(f"backup written to {args.path}{' (encrypted)' if passphrase else ''}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    passphrase = _passphrase(args)
    setup_django()
    from vendorvet.web.backup.restore import RestoreError, restore

    try:
        manifest = restore(args.path, passphrase, progress=_say)
    except RestoreError as exc:
        raise CLIError(f"restore refused, nothing was written: {exc}") from None
    print(f"restored {args.path} (made {manifest['created']} by vendorvet {manifest['vendorvet_version']} "
          f"on {manifest['database_vendor']})")
    return 0
