"""``vendorvet unlock``: lift a login lockout (a username, or a client address), or list what is locked."""

from __future__ import annotations

import argparse

from vendorvet.cli.runtime import CLIError, setup_django


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "unlock",
        help="unlock a login locked after failed attempts",
        description="Forget the failed logins of a username (or of a client address with --address), so the "
        "next login with the right password works at once. Without arguments, or with --list, show what is "
        "locked now.",
    )
    parser.add_argument("username", nargs="?", help="the username to unlock")
    parser.add_argument("--address", default=None, help="unlock a client network address instead")
    parser.add_argument("--list", action="store_true", help="list current locks")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from vendorvet.web.accounts.security import lockout

    if args.list or (not args.username and not args.address):
        locks = lockout.current_locks()
        if not locks:
            print("Nothing is locked.")
        for lock in locks:
            print(f"{lock.kind} {lock.value}: {lock.failures} failed logins, locked until "
                  f"{lock.until:%Y-%m-%d %H:%M:%S %Z}")
        return 0
    if args.username and args.address:
        raise CLIError("give a username or --address, not both", 2)
    if args.address:
        count = lockout.unlock_address(args.address.strip())
        what = f"address {args.address.strip()}"
    else:
        count = lockout.unlock_username(args.username)
        what = f"username {args.username!r}"
    print(f"Unlocked {what} ({count} failed-login records removed)." if count else f"{what} was not locked.")
    return 0
