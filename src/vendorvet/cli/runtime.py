"""Shared CLI plumbing: Django set-up, and acting as a tenant member with a role."""

from __future__ import annotations

import argparse
import getpass
import os
from contextlib import contextmanager
from typing import Iterator


class CLIError(Exception):
    """A user-facing error: printed without a traceback, exit code 1 (2 for usage)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vendorvet.web.settings")
    import django

    django.setup()


def add_actor_arguments(parser: argparse.ArgumentParser) -> None:
    """--tenant and --user, for commands that read or write a tenant's data."""
    parser.add_argument("--tenant", default=os.environ.get("VENDORVET_TENANT"),
                        help="tenant short name (slug); may be omitted if the user belongs to exactly one "
                        "(env VENDORVET_TENANT)")
    parser.add_argument("--user", default=os.environ.get("VENDORVET_USER"),
                        help="act as this vendorvet user; their role in the tenant decides what is allowed "
                        "(env VENDORVET_USER)")


@contextmanager
def acting_in_tenant(args: argparse.Namespace) -> Iterator[object]:
    """Enter the tenant as the named user, with that user's role — the same rules as web and API."""
    setup_django()
    from django.contrib.auth import get_user_model

    from vendorvet.web.accounts.models import Membership, Tenant
    from vendorvet.web.core.context import Actor, tenant_session

    if not args.user:
        raise CLIError("name the user to act as: --user USERNAME (or set VENDORVET_USER)", 2)
    user = get_user_model().objects.filter(username=args.user, is_active=True).first()
    if user is None:
        raise CLIError(f"no active user {args.user!r}")
    memberships = Membership.all_tenants.filter(user=user).select_related("tenant")
    if args.tenant:
        tenant = Tenant.objects.filter(slug=args.tenant).first()
        membership = memberships.filter(tenant=tenant).first() if tenant else None
        if membership is None:
            # Same answer whether the tenant exists or not: no probing of other tenants' names.
            raise CLIError(f"user {args.user!r} is not a member of tenant {args.tenant!r}")
    else:
        found = list(memberships[:2])
        if len(found) != 1:
            raise CLIError("name the tenant: --tenant SLUG (the user belongs to "
                           f"{'no' if not found else 'several'} tenants)", 2)
        membership = found[0]
    actor = Actor(kind="cli", label=f"{user.get_username()} (cli, {getpass.getuser()})", user=user,
                  role=membership.role)
    with tenant_session(membership.tenant, actor):
        yield membership.tenant


def launcher() -> str:
    """How to call this installation's ``vendorvet`` from the current directory, for printed hints: plain
    ``vendorvet`` when that name on the PATH is this one, else the path of the script beside this Python
    (``.venv/bin/vendorvet``), else ``python -m vendorvet.cli.main``."""
    import shlex
    import shutil
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "vendorvet"
    on_path = shutil.which("vendorvet")
    if on_path and script.exists() and Path(on_path).resolve() == script.resolve():
        return "vendorvet"
    if script.exists():
        try:
            shown = str(script.relative_to(Path.cwd()))
        except ValueError:
            shown = str(script)
        return shlex.quote(shown)
    return f"{shlex.quote(sys.executable)} -m vendorvet.cli.main"
