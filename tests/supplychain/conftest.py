"""Fixtures for the supply-chain app: an OSV database built from the fixture records, SBOM bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import anon_api, api_as, token_for  # noqa: F401
from tests.conftest import acting
from tests.web.conftest import login  # noqa: F401

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def sbom_bytes(name: str) -> bytes:
    return (FIXTURES / "sbom" / name).read_bytes()


@pytest.fixture
def osv_db(tmp_path, settings):
    from vendorvet.engine.supplychain.store import OsvStore

    path = tmp_path / "osv.sqlite3"
    with OsvStore(path) as store:
        store.import_path(FIXTURES / "osv")
    settings.SUPPLYCHAIN_OSV_DATABASE = str(path)
    return path


@pytest.fixture
def crm_a(tenant_a, make_integration):
    return make_integration(tenant_a, "Acme CRM")


@pytest.fixture
def sboms_a(tenant_a, admin_a, crm_a, osv_db):
    """Two SBOM versions of Acme CRM: 1.0 (CycloneDX JSON) and 1.1 (CycloneDX XML)."""
    from vendorvet.web.supplychain import services

    with acting(tenant_a, admin_a):
        old = services.import_sbom(crm_a, sbom_bytes("app-1.0.cdx.json"), label="1.0", filename="app-1.0.cdx.json")
        new = services.import_sbom(crm_a, sbom_bytes("app-1.1.cdx.xml"), label="1.1", filename="app-1.1.cdx.xml")
    return {"old": old, "new": new, "integration": crm_a}
