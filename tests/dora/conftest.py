"""Fixtures for the DORA register: the demo's financial entity (Elbufer Finanz AG) with an administrator."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_as  # noqa: F401
from tests.conftest import _member
from tests.support.module_data import loaded_for_module
from tests.web.conftest import login  # noqa: F401


def _load_elbufer():
    from django.db import transaction

    from vendorvet.web.demo import DEMO_TENANTS, _load_tenant

    spec = next(s for s in DEMO_TENANTS if s.slug == "elbufer")
    with transaction.atomic():
        return _load_tenant(spec)


@pytest.fixture(scope="module")
def _elbufer_for_module(request, django_db_setup, django_db_blocker):
    """Loaded once per module (~20 s on a loaded machine, it was per test) and restored for every test by a
    savepoint rollback (tests/support/module_data.py); per test in modules with transaction=True tests."""
    with loaded_for_module(request, django_db_blocker, lambda: _load_elbufer().pk) as pk:
        yield pk


@pytest.fixture
def elbufer(_elbufer_for_module, db):
    """The demo tenant Elbufer Finanz AG as ``vendorvet demo`` loads it (only this one, to stay quick)."""
    from vendorvet.web.accounts.models import Tenant

    if _elbufer_for_module is None:
        return _load_elbufer()
    return Tenant.objects.get(pk=_elbufer_for_module)


@pytest.fixture
def elbufer_admin(elbufer):
    return _member(elbufer, "elke.admin", "admin")


@pytest.fixture
def elbufer_auditor(elbufer):
    return _member(elbufer, "erik.auditor", "auditor")
