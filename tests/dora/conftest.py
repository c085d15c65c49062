"""Fixtures for the DORA register: the demo's financial entity (Elbufer Finanz AG) with an administrator."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_as  # noqa: F401
from tests.conftest import _member
from tests.web.conftest import login  # noqa: F401


@pytest.fixture
def elbufer(db):
    """The demo tenant Elbufer Finanz AG as ``vendorvet demo`` loads it (only this one, to stay quick)."""
    from django.db import transaction

    from vendorvet.web.demo import DEMO_TENANTS, _load_tenant

    spec = next(s for s in DEMO_TENANTS if s.slug == "elbufer")
    with transaction.atomic():
        return _load_tenant(spec)


@pytest.fixture
def elbufer_admin(elbufer):
    return _member(elbufer, "elke.admin", "admin")


@pytest.fixture
def elbufer_auditor(elbufer):
    return _member(elbufer, "erik.auditor", "auditor")
