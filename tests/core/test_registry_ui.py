"""The main menu and the panels of the integration and vendor pages come from the registry: an entry an app
registers appears (for the roles allowed to see it, in its order), without touching core or inventory."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from vendorvet.web.core.registry import NavItem, Panel, registry

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]


def test_the_menu_is_the_registry_in_order(admin_a):
    labels = menu(client_of(admin_a).get("/vendors/").content.decode())
    expected = [str(item.label) for item in registry.sorted(registry.nav_items)]
    assert labels == expected
    assert labels[:3] == ["Dashboard", "Integrations", "Vendors"] and labels[-1] == "Change log"
    assert {"Assessments", "Scans", "Discovered apps", "Legal", "Monitoring", "Supply chain"} <= set(labels)


def test_a_registered_menu_entry_appears_for_the_roles_allowed(admin_a, auditor_a):
    probe = NavItem("Probe entry", "accounts:tokens", permission="manage_members", order=15)
    with registry.nav_items.temporarily("probe", probe):
        admin_menu = menu(client_of(admin_a).get("/vendors/").content.decode())
        auditor_menu = menu(client_of(auditor_a).get("/vendors/").content.decode())
    assert admin_menu.index("Probe entry") == 2  # between Integrations (10) and Vendors (20), after Dashboard (1)
    assert "Probe entry" not in auditor_menu
    assert "Probe entry" not in menu(client_of(admin_a).get("/vendors/").content.decode())  # gone again


def test_a_registered_panel_is_loaded_on_the_detail_pages(admin_a, tenant_a, make_integration):
    integration = make_integration(tenant_a)
    client = client_of(admin_a)
    page = f"/integrations/{integration.pk}/"
    vendor_page = f"/vendors/{integration.vendor_id}/"
    probe_url = f"/integrations/{integration.pk}/history/"
    assert probe_url not in re.findall(r'class="panel-slot" hx-get="([^"]+)"', client.get(page).content.decode())
    with registry.integration_panels.temporarily("probe", Panel("inventory:integration_history", order=1)), \
            registry.vendor_panels.temporarily("probe", Panel("inventory:vendor_history", order=99)):
        html = client.get(page).content.decode()
        vendor_html = client.get(vendor_page).content.decode()
    slots = re.findall(r'class="panel-slot" hx-get="([^"]+)"', html)
    assert slots[0] == probe_url  # order 1: first
    assert f"/scans/integrations/{integration.pk}/panel/" in slots  # the apps' own panels are still there
    vendor_slots = re.findall(r'class="panel-slot" hx-get="([^"]+)"', vendor_html)
    assert vendor_slots[-1] == f"/vendors/{integration.vendor_id}/history/"
