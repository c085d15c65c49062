"""Operational commands: migrate, createadmin (password rules, idempotence, change history)."""

from __future__ import annotations

import http.client
import io
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from vendorvet.cli.main import main
from vendorvet.web.accounts.models import Membership, Tenant
from vendorvet.web.core.context import use_tenant
from vendorvet.web.core.models import ObjectChange

GOOD_PASSWORD = "Elbtunnel-Kran-2025-blau"


def clean_subprocess_env(data_dir: Path) -> dict[str, str]:
    """A child environment on an empty data directory with the embedded SQLite database."""
    env = {k: v for k, v in os.environ.items() if k not in (
        "DATABASE_URL", "SECRET_KEY", "VENDORVET_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "VENDORVET_DEBUG",
        "VENDORVET_HTTPS", "VENDORVET_TRUSTED_PROXY", "VENDORVET_ALLOWED_HOSTS", "VENDORVET_SSL_REDIRECT")}
    env["VENDORVET_DATA_DIR"] = str(data_dir)
    return env


def vendorvet(*args: str, env: dict[str, str], stdin: str = "", timeout: int = 120):
    return subprocess.run([sys.executable, "-m", "vendorvet.cli.main", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


def with_migrated(database: Path, data_dir: Path) -> None:
    """Put the once-migrated database (the ``migrated_database`` fixture) into ``data_dir`` (mode 0600 kept)."""
    shutil.copy2(database, data_dir / "vendorvet.sqlite3")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str], *extra: str, timeout: float = 60):
    """``vendorvet serve`` on a free port in a subprocess; yields the port."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vendorvet.cli.main", "serve", "--port", str(port),
                             "--threads", "2", *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited early: {proc.stdout.read()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"nothing listens on port {port} after {timeout} s") from None
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_migrate_creates_the_schema_quietly_and_is_repeatable(tmp_path):
    env = clean_subprocess_env(tmp_path)
    first = vendorvet("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    db = tmp_path / "vendorvet.sqlite3"
    assert db.exists()
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
        applied = conn.execute("select count(*) from django_migrations").fetchone()[0]
    assert {"inventory_integration", "accounts_tenant", "core_objectchange"} <= tables
    assert applied > 10

    second = vendorvet("migrate", "--verbose", env=env)
    assert second.returncode == 0, second.stderr
    assert "No migrations to apply" in second.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from django_migrations").fetchone()[0] == applied


def run_createadmin(monkeypatch, password: str, *args: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return main(["createadmin", *args, "--password-stdin"])


@pytest.mark.django_db
def test_createadmin_creates_tenant_superuser_and_logged_membership(monkeypatch, capsys):
    code = run_createadmin(monkeypatch, GOOD_PASSWORD, "olga", "--email", "olga@example.com",
                           "--tenant", "nordlicht", "--tenant-name", "Nordlicht Maschinenbau GmbH")
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "Created tenant 'Nordlicht Maschinenbau GmbH' (nordlicht)" in out
    user = get_user_model().objects.get(username="olga")
    assert user.is_active and user.is_superuser and user.is_staff
    assert user.email == "olga@example.com"
    assert user.check_password(GOOD_PASSWORD)
    tenant = Tenant.objects.get(slug="nordlicht")
    with use_tenant(tenant):
        membership = Membership.objects.get(user=user)
        assert membership.role == "admin"
        change = ObjectChange.objects.get(changed_object_id=membership.pk, action="create")
    assert change.actor_kind == "cli"
    assert change.actor_label.startswith("createadmin (")
    assert change.postchange_data["role"] == "admin"


@pytest.mark.django_db
def test_createadmin_is_idempotent_and_updates_password(monkeypatch, capsys):
    args = ("olga", "--tenant", "nordlicht")
    assert run_createadmin(monkeypatch, GOOD_PASSWORD, *args) == 0
    changes = ObjectChange.all_tenants.count()
    new_password = "Speicherstadt-Fleet-77-gruen"
    assert run_createadmin(monkeypatch, new_password, *args) == 0
    assert "Updated superuser 'olga'" in capsys.readouterr().out
    assert get_user_model().objects.filter(username="olga").count() == 1
    assert Tenant.objects.filter(slug="nordlicht").count() == 1
    assert Membership.all_tenants.filter(user__username="olga").count() == 1
    assert ObjectChange.all_tenants.count() == changes  # nothing changed in the tenant: no new history
    assert get_user_model().objects.get(username="olga").check_password(new_password)


@pytest.mark.django_db
def test_createadmin_promotes_an_existing_member_with_history(tenant_a, auditor_a, monkeypatch):
    assert run_createadmin(monkeypatch, GOOD_PASSWORD, auditor_a.username, "--tenant", tenant_a.slug) == 0
    with use_tenant(tenant_a):
        membership = Membership.objects.get(user=auditor_a)
        change = ObjectChange.objects.get(changed_object_id=membership.pk, action="update")
    assert membership.role == "admin"
    assert change.prechange_data["role"] == "auditor" and change.postchange_data["role"] == "admin"
    auditor_a.refresh_from_db()
    assert auditor_a.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize("weak, reason", [
    ("short1", "too short"),
    ("password12345", "too common"),
    ("834729104857362", "entirely numeric"),
    ("kranfuehrerin1", "too similar to the username"),
])
def test_createadmin_refuses_weak_passwords(monkeypatch, capsys, weak, reason):
    code = run_createadmin(monkeypatch, weak, "kranfuehrerin", "--tenant", "nordlicht")
    assert code == 1
    assert reason in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="kranfuehrerin").exists()
    assert not Tenant.objects.filter(slug="nordlicht").exists()  # one transaction: nothing half-done


@pytest.mark.django_db
def test_createadmin_needs_a_tenant_when_several_exist(tenant_a, tenant_b, monkeypatch, capsys):
    assert run_createadmin(monkeypatch, GOOD_PASSWORD, "olga") == 2
    assert "--tenant" in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="olga").exists()


@pytest.mark.django_db
def test_createadmin_without_terminal_or_stdin_flag_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_PASSWORD + "\n"))  # not a TTY
    assert main(["createadmin", "olga", "--tenant", "nordlicht"]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="olga").exists()


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = vendorvet("serve", "--port", str(free_port()), env=clean_subprocess_env(tmp_path))
    assert result.returncode == 1
    assert "run 'vendorvet migrate' first" in result.stderr


def test_serve_behind_tls_proxy_believes_only_the_trusted_proxy(tmp_path, migrated_database):
    env = clean_subprocess_env(tmp_path)
    with_migrated(migrated_database, tmp_path)
    env["VENDORVET_HTTPS"] = "true"
    with running_server(env) as port:  # default trusted proxy with HTTPS on: 127.0.0.1
        plain = get(port, "/accounts/login/")
        assert plain.status == 301 and plain.getheader("Location").startswith("https://")
        proxied = get(port, "/accounts/login/", {"X-Forwarded-Proto": "https"})
        assert proxied.status == 200
        assert "Secure" in proxied.getheader("Set-Cookie")
        assert proxied.getheader("Strict-Transport-Security").startswith("max-age=")
    with running_server(env, "--trusted-proxy", "192.0.2.10") as port:
        spoofed = get(port, "/accounts/login/", {"X-Forwarded-Proto": "https"})
        assert spoofed.status == 301  # a header from an untrusted peer is dropped, not believed


def test_serve_starts_worker_and_scheduler_and_stops_them_with_itself(tmp_path, migrated_database):
    import uuid

    env = clean_subprocess_env(tmp_path)
    env["VENDORVET_TEST_MARK"] = mark = uuid.uuid4().hex  # tells this test's processes from any others
    with_migrated(migrated_database, tmp_path)
    with running_server(env) as port:
        assert get(port, "/accounts/login/").status == 200
        deadline = time.monotonic() + 15
        while not (children := _children_running("vendorvet.cli.main worker", mark=mark)):
            assert time.monotonic() < deadline, "no worker process next to the server"
            time.sleep(0.2)
        assert children, "no worker process next to the server"
        assert _children_running("vendorvet.cli.main monitor run", mark=mark), "no monitoring scheduler"
    deadline = time.monotonic() + 15
    while _children_running("vendorvet.cli.main worker", mark=mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _children_running("vendorvet.cli.main worker", mark=mark), "worker outlived the server"
    assert not _children_running("vendorvet.cli.main monitor run", mark=mark), "scheduler outlived the server"


def _children_running(marker: str, mark: str) -> set[int]:
    """PIDs of live processes whose command line contains ``marker`` and whose environment has ``mark``."""
    import os

    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().split(b")")[-1].split()[0]
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:
            continue
        if marker in cmdline and state != b"Z" and f"VENDORVET_TEST_MARK={mark}".encode() in environ:
            found.add(int(entry))
    return found
