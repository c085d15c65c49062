"""Shared fixtures: two tenants, a user per role, and helpers to act inside a tenant.

Tests run against SQLite by default and PostgreSQL when DATABASE_URL points there
(``.ci/run`` runs the suite on both).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

# The data directory is redirected in tests/settings.py, before Django reads it.

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def tenant_a(db):
    from vendorvet.web.accounts.models import Tenant

    return Tenant.objects.create(name="Nordlicht Maschinenbau GmbH", slug="nordlicht")


@pytest.fixture
def tenant_b(db):
    from vendorvet.web.accounts.models import Tenant

    return Tenant.objects.create(name="Hafenblick Logistik AG", slug="hafenblick")


def _member(tenant, username: str, role: str):
    from django.contrib.auth import get_user_model

    from vendorvet.web.accounts.models import Membership
    from vendorvet.web.core.context import Actor, tenant_session

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD,
                                                    email=f"{username}@example.test")
    with tenant_session(tenant, Actor.system("test setup")):
        Membership.objects.create(user=user, role=role)
    return user


@pytest.fixture
def admin_a(tenant_a):
    return _member(tenant_a, "anna.admin", "admin")


@pytest.fixture
def assessor_a(tenant_a):
    return _member(tenant_a, "arne.assessor", "assessor")


@pytest.fixture
def auditor_a(tenant_a):
    return _member(tenant_a, "aylin.auditor", "auditor")


@pytest.fixture
def admin_b(tenant_b):
    return _member(tenant_b, "bernd.admin", "admin")


@pytest.fixture
def member():
    """member(tenant, username, role) -> user; for tests that need more users."""
    return _member


@contextmanager
def acting(tenant, user=None, role: str = "admin", kind: str = "system"):
    """Enter a tenant as ``user`` (or the system) with ``role``."""
    from vendorvet.web.core.context import Actor, tenant_session

    label = user.get_username() if user is not None else "test"
    with tenant_session(tenant, Actor(kind=kind if user is None else "user", label=label, user=user,
                                      role=role)) as actor:
        yield actor


@pytest.fixture
def as_tenant():
    """as_tenant(tenant, user=None, role="admin") -> context manager."""
    return acting


@pytest.fixture
def make_vendor():
    def make(tenant, name="Acme Cloud Inc.", **fields):
        from vendorvet.web.inventory.models import Vendor

        with acting(tenant):
            fields.setdefault("country", "US")
            return Vendor.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_integration(make_vendor):
    def make(tenant, name="Acme CRM", vendor=None, **fields):
        from vendorvet.web.inventory.models import Integration

        with acting(tenant):
            from vendorvet.web.inventory.models import Vendor

            if vendor is None:
                vendor = Vendor.objects.filter(name="Acme Cloud Inc.").first()
        if vendor is None:
            vendor = make_vendor(tenant)
        with acting(tenant):
            return Integration.objects.create(vendor=vendor, name=name, **fields)

    return make


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A German request leaves German active in the thread (Django's LocaleMiddleware does not deactivate):
    every test starts and ends in the installation's default language, so no test depends on its neighbours."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _static_files_table_built_once():
    """WhiteNoise walks every static file for each new test client; the table is built once (tests/support)."""
    from tests.support import static_cache

    static_cache.install()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An embedded database file migrated once by ``vendorvet migrate`` in a child process (~10 s), for the
    tests that start ``vendorvet serve`` on a migrated installation: each copies it into its own data directory
    (``tests.cli.test_ops.with_migrated``). The tests of ``migrate`` itself still run it."""
    from tests.cli.test_ops import clean_subprocess_env, vendorvet

    data = tmp_path_factory.mktemp("migrated-once")
    done = vendorvet("migrate", env=clean_subprocess_env(data))
    assert done.returncode == 0, done.stderr
    return data / "vendorvet.sqlite3"
