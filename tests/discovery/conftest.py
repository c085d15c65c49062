"""Fixtures for discovery tests: the export files in tests/fixtures/discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discovery"

GOOGLE_TOKENS = [FIXTURES / "google_token_activity.json", FIXTURES / "google_token_activity.ndjson",
                 FIXTURES / "google_token_audit_admin_console_de.csv"]
GOOGLE_DIRECTORY = [FIXTURES / "google_directory_tokens.json"]
# deliberately not in dependency order: grants before the service principals they reference
ENTRA = [FIXTURES / "entra_oauth2_permission_grants.json", FIXTURES / "entra_graph_app_role_assigned_to.json",
         FIXTURES / "entra_service_principals_page2.json", FIXTURES / "entra_service_principals_page1.json"]
PROXY = [FIXTURES / "squid_access.log", FIXTURES / "dns_hosts.csv", FIXTURES / "domains.txt"]


@pytest.fixture
def importing(as_tenant):
    """importing(tenant, source, paths, role="assessor") -> ImportReport, run as a tenant member."""

    def run(tenant, source, paths, role="assessor", **kwargs):
        from vendorvet.web.discovery.importer import run_import

        with as_tenant(tenant, role=role):
            return run_import(source, [str(p) for p in paths], **kwargs)

    return run


from tests.web.conftest import login  # noqa: E402,F401  (logged-in test clients)
