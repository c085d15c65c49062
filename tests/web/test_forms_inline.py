"""Form conveniences of issue 18: a vendor created inline with its first integration, and the country selects
marked for the search box of app.js (the plain select stays the way to choose without JavaScript)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import acting
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Integration, Vendor

pytestmark = pytest.mark.django_db

BASE = {"kind": "saas", "status": "proposed", "discovery_source": "manual", "data_categories": ["personal"],
        "access_scope": "read", "outage_impact": "low", "tags": "", "endpoints": ""}


def test_a_new_vendor_is_created_with_the_integration(admin_a, tenant_a, inventory_a, login):
    client = login(admin_a)
    page = client.get(reverse("inventory:integration_add")).content.decode()
    assert 'name="new_vendor"' in page and 'for="id_new_vendor"' in page
    response = client.post(reverse("inventory:integration_add"),
                           {**BASE, "name": "Helpdesk", "vendor": "", "new_vendor": "  Zammad   GmbH "})
    assert response.status_code == 302, response.content.decode()[:2000]
    with acting(tenant_a):
        vendor = Vendor.objects.get(name="Zammad GmbH")
        helpdesk = Integration.objects.get(name="Helpdesk")
        assert helpdesk.vendor == vendor
        assert ObjectChange.objects.filter(changed_object_id=vendor.pk, action="create", user=admin_a).exists()
    # the same name again reuses that vendor instead of a duplicate
    again = client.post(reverse("inventory:integration_add"),
                        {**BASE, "name": "Helpdesk 2", "vendor": "", "new_vendor": "zammad gmbh"})
    assert again.status_code == 302
    with acting(tenant_a):
        assert Vendor.objects.filter(name__iexact="zammad gmbh").count() == 1


@pytest.mark.parametrize("language, hint, link", [
    ("en", "A new vendor is created with its name only; add its country, website and contacts on its page "
           "afterwards, or", "add the vendor with all details first"),
    ("de", "Ein neuer Anbieter wird nur mit seinem Namen angelegt; Land, Website und Kontakte ergänzen Sie danach "
           "auf seiner Seite – oder", "Sie legen den Anbieter zuerst mit allen Angaben an"),
])
def test_the_hint_beside_the_new_vendor_field_says_what_it_does(admin_a, tenant_a, inventory_a, login, language,
                                                                 hint, link):
    """The hint once said "Add a vendor first." — no longer true since a new vendor can be entered inline."""
    client = login(admin_a)
    page = client.get(reverse("inventory:integration_add"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert hint in page and f'<a href="{reverse("inventory:vendor_add")}">{link}</a>.' in page
    assert "Add a vendor first" not in page and "zuerst einen Anbieter an" not in page


def test_vendor_or_new_vendor_but_not_both_nor_neither(admin_a, tenant_a, inventory_a, login):
    client = login(admin_a)
    acme = inventory_a["vendors"]["acme"]
    neither = client.post(reverse("inventory:integration_add"), {**BASE, "name": "X", "vendor": "", "new_vendor": ""})
    assert neither.status_code == 200 and "Choose a vendor or enter the name of a new one." in neither.content.decode()
    both = client.post(reverse("inventory:integration_add"),
                       {**BASE, "name": "X", "vendor": acme.pk, "new_vendor": "Other AG"})
    assert both.status_code == 200 and "not both" in both.content.decode()
    with acting(tenant_a):
        assert not Vendor.objects.filter(name="Other AG").exists()
        assert not Integration.objects.filter(name="X").exists()


def test_country_selects_carry_the_search_box_hook(admin_a, inventory_a, login):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    vendor_page = client.get(reverse("inventory:vendor_add")).content.decode()
    assert 'data-filter-label="Länder suchen"' in vendor_page and "Vereinigte Staaten" in vendor_page
    integration_page = client.get(reverse("inventory:integration_add")).content.decode()
    assert integration_page.count("data-filter-label=") == 1
