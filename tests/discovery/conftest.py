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


@pytest.fixture
def accepting(as_tenant):
    """accepting(tenant) -> {app name: integration}: a person (assessor) accepts every pending proposal with the
    suggested names and data categories — what integrations the import itself created before proposals existed."""

    def run(tenant, role="assessor"):
        from vendorvet.web.discovery import proposals

        accepted = {}
        with as_tenant(tenant, role=role):
            for app in proposals.pending().order_by("pk"):
                name, vendor = proposals.suggested_names(app)
                name = name or f"Entra app {app.short_id}"
                vendor = vendor or "Unknown publisher"
                from vendorvet.web.inventory.models import Integration

                if Integration.objects.filter(vendor__name__iexact=vendor, name__iexact=name).exists():
                    name = f"{name} ({app.client_id})"[:200]
                accepted[app.name] = proposals.accept(app, name=name, vendor_name=vendor,
                                                      data_categories=list(proposals.suggestion(app).categories))
        return accepted

    return run
