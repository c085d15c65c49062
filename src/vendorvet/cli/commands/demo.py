"""``vendorvet demo``: a ready-to-try installation in the per-user data directory.

Creates the data directory and database, applies migrations, loads the demo tenants
(once — later runs reuse them), creates the ``admin`` login with a random password kept in
``DATA_DIR/demo-login.txt`` (mode 0600), prints URL and login, and serves the web UI.
"""

from __future__ import annotations

import argparse
import os
import secrets
import stat
import string
import sys
from pathlib import Path

from vendorvet.cli.commands.serve import add_listen_arguments, add_worker_argument, display_url, serve
from vendorvet.cli.runtime import CLIError, setup_django

DEMO_USERNAME = "admin"
LOGIN_FILE = "demo-login.txt"
PASSWORD_ALPHABET = string.ascii_letters + string.digits
WARNING = ("WARNING: this is a demo set-up, not a production one (generated secret key, a demo login, "
           "plain HTTP on localhost, SQLite unless DATABASE_URL is set). See 'vendorvet config check' and the "
           "README for production.")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="set up and serve a demo installation",
        description="Create the data directory and database, load the demo tenants (once; later runs reuse "
        "them), create the 'admin' login, print it, and serve the web UI. Not a production set-up.",
    )
    add_listen_arguments(parser)
    parser.add_argument("--no-serve", action="store_true", help="set up and print the login, but do not serve")
    add_worker_argument(parser)
    parser.set_defaults(func=run)


def _new_password() -> str:
    # 20 characters from 62 symbols (~119 bits); grouped for readability, passes the password rules.
    raw = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(20))
    return "-".join(raw[i:i + 5] for i in range(0, 20, 5))


def read_login_file(path: Path) -> tuple[str, str] | None:
    if not path.exists():
        return None
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition(":")
        if sep and not key.startswith("#"):
            values[key.strip()] = value.strip()
    if values.get("username") and values.get("password"):
        return values["username"], values["password"]
    raise CLIError(f"{path} is damaged; delete it to create a new demo login")


def write_login_file(path: Path, username: str, password: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# vendorvet demo login - for the demo only, never for production\n")
        handle.write(f"username: {username}\npassword: {password}\n")


def demo_login(data_dir: Path) -> tuple[str, str]:
    """The demo credentials: read from the login file, or generated once and stored there."""
    path = data_dir / LOGIN_FILE
    found = read_login_file(path)
    if found is not None:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)
        return found
    password = _new_password()
    write_login_file(path, DEMO_USERNAME, password)
    return DEMO_USERNAME, password


def ensure_demo_user(username: str, password: str) -> tuple[object, str]:
    """Create the demo superuser if missing. Returns (user, 'created' | 'kept' | 'password-changed')."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_superuser(username=username, email="admin@example.com", password=password)
        return user, "created"
    if not user.check_password(password):
        return user, "password-changed"
    return user, "kept"


def run(args: argparse.Namespace) -> int:
    from vendorvet.web import config

    data_dir = config.data_dir()
    print(WARNING, file=sys.stderr)
    print(f"Data directory: {data_dir}")
    setup_django()
    from django.db import transaction

    from vendorvet.cli.commands.migrate import apply_migrations
    from vendorvet.web.demo import grant_demo_admin, load_demo

    apply_migrations()
    username, password = demo_login(data_dir)
    with transaction.atomic():
        loaded = load_demo()
        user, state = ensure_demo_user(username, password)
        grant_demo_admin(user, [tenant for tenant, _created in loaded])
    from vendorvet.web.inventory.models import Integration

    for tenant, created in loaded:
        count = Integration.all_tenants.filter(tenant=tenant).count()
        print(f"{'Loaded' if created else 'Reusing'} demo tenant {tenant.name} ({tenant.slug}): "
              f"{count} integrations.")
    print("Switch between the tenants with the selector at the top of the page.")
    from vendorvet.web.supplychain.osvimport import import_demo_data

    added = import_demo_data()
    if added is not None:
        print(f"Imported the demo vulnerability data: {added} real advisories (GitHub Advisory Database, "
              "CC BY 4.0); import a full OSV dump for real use.")

    url = display_url(args.host, args.port)
    print()
    print(f"  URL:      {url}")
    print(f"  Username: {username}")
    if state == "password-changed":
        print(f"  Password: (changed since the demo was set up; {data_dir / LOGIN_FILE} holds the first one)")
    else:
        print(f"  Password: {password}")
    print(f"  (kept in {data_dir / LOGIN_FILE})")
    print()
    if args.no_serve:
        from vendorvet.cli.runtime import launcher

        print(f"Start the server with: {launcher()} demo --port {args.port}")
        return 0
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("WARNING: listening beyond localhost exposes the demo login to your network.", file=sys.stderr)
    return serve(args.host, args.port, threads=8, worker=args.worker, monitor=args.monitor)
