"""``vendorvet admin create`` (earlier ``createadmin``): create or update a superuser who administers a tenant."""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from vendorvet.cli.options import add_command, add_group
from vendorvet.cli.runtime import CLIError, setup_django

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def register(subparsers) -> None:
    actions = add_group(subparsers, "admin", help="administrators of a tenant")
    add_command(
        actions, "create", _configure, old_names=[(subparsers, "createadmin")],
        help="create or update an administrator",
        description="Create (or update) an active superuser and make them administrator of a tenant, creating "
        "the tenant if needed. The password is asked twice, or read from standard input with --password-stdin; "
        "it must pass the password rules, and the user must replace it at the next login.",
    )


def _configure(parser) -> None:
    parser.add_argument("username")
    parser.add_argument("--email", default=None, help="e-mail address")
    parser.add_argument("--tenant", default=None,
                        help="tenant short name (slug); may be omitted if exactly one tenant exists")
    parser.add_argument("--tenant-name", default=None,
                        help="display name when the tenant is created (default: the short name)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    parser.add_argument("--no-password-change", dest="must_change", action="store_false",
                        help="do not make the user choose a new password at the next login (by default they "
                        "must: whoever ran this command knows the password)")
    parser.set_defaults(func=run)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise CLIError("no password on standard input")
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise CLIError("no terminal to ask for the password; use --password-stdin", 2)
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Password (again): ")
    if first != second:
        raise CLIError("the passwords do not match")
    if not first:
        raise CLIError("the password must not be empty")
    return first


def resolve_tenant(slug: str | None, name: str | None):
    """The tenant named by ``slug`` (created if missing), or the only tenant there is."""
    from vendorvet.web.accounts.models import Tenant

    if not slug:
        tenants = list(Tenant.objects.all()[:2])
        if len(tenants) == 1:
            return tenants[0], False
        raise CLIError("name the tenant: --tenant SLUG (there are "
                       f"{'no' if not tenants else 'several'} tenants)", 2)
    if not SLUG_RE.match(slug) or len(slug) > 60:
        raise CLIError(f"invalid tenant short name {slug!r} (letters, digits, '-' and '_' only)", 2)
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is not None:
        return tenant, False
    tenant_name = (name or slug).strip()
    if Tenant.objects.filter(name=tenant_name).exists():
        raise CLIError(f"another tenant is already called {tenant_name!r}; choose --tenant-name")
    return Tenant.objects.create(slug=slug, name=tenant_name), True


def upsert_superuser(username: str, password: str, email: str | None):
    """Create or update an active superuser; validates the password first. Returns (user, created)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    if email is not None:
        user.email = email
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise CLIError("password refused: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user.is_active = user.is_staff = user.is_superuser = True
    user.full_clean(exclude=["password", "last_login", "date_joined"])
    user.save()
    return user, created


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from vendorvet.web.accounts.security.passwords import require_change
    from vendorvet.web.core.context import Actor
    from vendorvet.web.demo import ensure_admin

    username = args.username.strip()
    if not username:
        raise CLIError("the username must not be empty", 2)
    password = read_password(args.password_stdin)
    actor = Actor(kind="cli", label=f"createadmin ({getpass.getuser()})", role="admin")
    try:
        with transaction.atomic():
            tenant, tenant_created = resolve_tenant(args.tenant, args.tenant_name)
            user, user_created = upsert_superuser(username, password, args.email)
            ensure_admin(user, tenant, actor)
            require_change(user, args.must_change)
    except ValidationError as exc:
        raise CLIError("; ".join(exc.messages)) from exc
    if tenant_created:
        print(f"Created tenant {tenant.name!r} ({tenant.slug}).")
    print(f"{'Created' if user_created else 'Updated'} superuser {user.get_username()!r}, "
          f"administrator of {tenant.name!r} ({tenant.slug}).")
    if args.must_change:
        print(f"{user.get_username()!r} must choose a new password at the next login.")
    return 0
