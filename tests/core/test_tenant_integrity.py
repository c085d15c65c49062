"""Defects closed in the tenant base: a refusing queryset refuses inside other queries too, every write path on a
change-logged model leaves history (cascades, update(), bulk_create) or is refused, and insert_many checks that
foreign keys stay inside the tenant."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery

from tests.conftest import acting
from vendorvet.web.accounts.models import Membership
from vendorvet.web.core.bulk import insert_many
from vendorvet.web.core.context import Actor, ActorRequiredError, TenantScopeError, acting_as, use_tenant
from vendorvet.web.core.managers import UnloggedWriteError
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.discovery.models import DiscoveredApp, Grant
from vendorvet.web.inventory.models import Contact, Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db


def changes_of(model, pk, action=None):
    qs = ObjectChange.all_tenants.filter(changed_object_type=ContentType.objects.get_for_model(model),
                                         changed_object_id=pk)
    return qs.filter(action=action) if action else qs


# -- (a) the refusing queryset refuses as a subquery ----------------------------------------------------------

def test_unscoped_queryset_refuses_inside_another_query(tenant_a, tenant_b, make_integration):
    mine = make_integration(tenant_a, name="Mine")
    make_integration(tenant_b, name="Theirs")
    unscoped = Vendor.objects.all()  # no tenant active: built, but must never run
    with pytest.raises(TenantScopeError):
        list(Integration.all_tenants.filter(vendor__in=unscoped))
    with pytest.raises(TenantScopeError):
        Integration.all_tenants.filter(vendor__in=Vendor.objects.values("pk")).count()
    with pytest.raises(TenantScopeError):
        list(Integration.all_tenants.annotate(v=Subquery(Vendor.objects.filter(pk=OuterRef("vendor")).values("name"))))
    with pytest.raises(TenantScopeError):
        Integration.all_tenants.filter(Exists(Vendor.objects.filter(pk=OuterRef("vendor")))).exists()
    with pytest.raises(TenantScopeError):
        list(Vendor.all_tenants.values("pk").union(Vendor.objects.values("pk")))
    # with a tenant active the same subquery is scoped, not refused
    with use_tenant(tenant_a):
        assert list(Integration.all_tenants.filter(vendor__in=Vendor.objects.all())) == [mine]


# -- (b) every write path is logged or refused ------------------------------------------------------------------

def test_deleting_a_vendor_logs_its_cascaded_contacts(tenant_a, admin_a, make_vendor):
    vendor = make_vendor(tenant_a, name="Cascade GmbH")
    with acting(tenant_a, admin_a):
        contacts = [Contact.objects.create(vendor=vendor, name=f"Person {i}") for i in range(2)]
        pk = vendor.pk
        vendor.delete()
        assert not Contact.objects.exists()
    assert changes_of(Vendor, pk, "delete").count() == 1
    for contact in contacts:
        entry = changes_of(Contact, contact.pk, "delete").get()
        assert entry.prechange_data["name"] == contact.name and entry.actor_label == admin_a.username
        assert entry.tenant_id == tenant_a.pk and entry.related_object_id == pk


def test_deleting_an_integration_logs_its_endpoints_under_the_integration(tenant_a, admin_a, make_integration):
    integration = make_integration(tenant_a, name="Has endpoints")
    with acting(tenant_a, admin_a):
        endpoint = Endpoint.objects.create(integration=integration, url="https://api.cascade.example/")
        pk = integration.pk
        integration.delete()
    assert changes_of(Integration, pk, "delete").count() == 1
    entry = changes_of(Endpoint, endpoint.pk, "delete").get()
    assert entry.prechange_data["url"] == "https://api.cascade.example/"
    assert entry.related_object_id == pk  # shown in the integration's history


def test_queryset_update_is_logged_per_row(tenant_a, admin_a, make_vendor):
    vendors = [make_vendor(tenant_a, name=f"Vendor {i}", country="DE") for i in range(3)]
    with acting(tenant_a, admin_a):
        assert Vendor.objects.filter(name__startswith="Vendor").update(country="AT") == 3
        assert set(Vendor.objects.values_list("country", flat=True)) == {"AT"}
    for vendor in vendors:
        entry = changes_of(Vendor, vendor.pk, "update").get()
        assert (entry.prechange_data["country"], entry.postchange_data["country"]) == ("DE", "AT")
        assert entry.actor_label == admin_a.username


def test_update_without_actor_bulk_update_and_untracked(tenant_a, make_vendor):
    vendor = make_vendor(tenant_a, name="Quiet Ltd", country="DE")
    before = changes_of(Vendor, vendor.pk).count()
    with use_tenant(tenant_a):
        with pytest.raises(UnloggedWriteError, match="update_untracked"):
            Vendor.objects.filter(pk=vendor.pk).update(country="FR")
        vendor.country = "FR"
        with pytest.raises(UnloggedWriteError, match="country"):
            Vendor.objects.bulk_update([vendor], ["country"])
        assert Vendor.objects.get(pk=vendor.pk).country == "DE"
        # the history's own bookkeeping fields may be touched without an entry, as may the named opt-out
        Vendor.objects.filter(pk=vendor.pk).update(last_updated=vendor.last_updated)
        Vendor.objects.filter(pk=vendor.pk).update_untracked(country="FR")
        assert Vendor.objects.get(pk=vendor.pk).country == "FR"
    assert changes_of(Vendor, vendor.pk).count() == before


def test_bulk_create_logs_each_new_row_and_checks_the_tenant(tenant_a, tenant_b, admin_a, make_vendor):
    vendor = make_vendor(tenant_a, name="Bulk AG")
    foreign = make_vendor(tenant_b, name="Foreign AG")
    with acting(tenant_a, admin_a):
        made = Integration.objects.bulk_create([Integration(vendor=vendor, name=f"Bulk {i}") for i in range(3)])
        assert all(obj.tenant_id == tenant_a.pk for obj in made)
        with pytest.raises(TenantScopeError, match="vendor"):
            Integration.objects.bulk_create([Integration(vendor=foreign, name="Sneaky")])
        assert not Integration.objects.filter(name="Sneaky").exists()
    for obj in made:
        assert changes_of(Integration, obj.pk, "create").get().postchange_data["name"] == obj.name


def test_deleting_a_tenant_takes_its_history_without_logging_into_it(tenant_a, admin_a, make_vendor):
    vendor = make_vendor(tenant_a, name="Goes with the tenant")
    with acting(tenant_a, admin_a):
        Contact.objects.create(vendor=vendor, name="Also goes")
    assert ObjectChange.all_tenants.filter(tenant=tenant_a).exists()
    tenant_a.delete()  # no actor needed: nothing is left to record the deletion in
    assert not Contact.all_tenants.exists() and not ObjectChange.all_tenants.exists()


def test_deleting_a_user_is_attributed_and_logs_the_cascaded_membership(tenant_a, admin_a, member):
    user = member(tenant_a, "tom.temp", "auditor")
    membership_pk = Membership.all_tenants.get(user=user).pk
    with pytest.raises(ActorRequiredError), transaction.atomic():
        user.delete()  # nobody to attribute the memberships' removal to
    assert Membership.all_tenants.filter(pk=membership_pk).exists()
    with acting_as(Actor(kind="user", label="operator (admin)", role="admin")):
        user.delete()
    entry = ObjectChange.all_tenants.get(changed_object_id=membership_pk, action="delete",
                                         changed_object_type__model="membership")
    assert entry.actor_label == "operator (admin)" and entry.tenant_id == tenant_a.pk


# -- (c) insert_many keeps foreign keys inside the tenant --------------------------------------------------------

def test_insert_many_refuses_a_foreign_key_into_another_tenant(tenant_a, tenant_b, admin_a,
                                                                django_assert_max_num_queries):
    with acting(tenant_b):
        theirs = DiscoveredApp.objects.create(platform="google", client_id="b1", name="B app")
    with acting(tenant_a, admin_a):
        mine = DiscoveredApp.objects.create(platform="google", client_id="a1", name="A app")
        rows = [Grant(tenant=tenant_a, app=mine, principal=f"u{i}@a.de", permission_type="delegated", scopes={})
                for i in range(50)]
        sneaky = Grant(tenant=tenant_a, app=theirs, principal="x@a.de", permission_type="delegated", scopes={})
        with pytest.raises(TenantScopeError, match="app"):
            insert_many(Grant, [*rows, sneaky])
        assert not Grant.objects.exists()
        with django_assert_max_num_queries(2):  # one check per foreign key, one insert batch
            assert insert_many(Grant, rows) == 50
        assert Grant.objects.count() == 50


def test_insert_many_refuses_change_logged_models(tenant_a, admin_a, make_vendor):
    vendor = make_vendor(tenant_a)
    with acting(tenant_a, admin_a), pytest.raises(ValueError, match="change-logged"):
        insert_many(Contact, [Contact(tenant=tenant_a, vendor=vendor, name="Unlogged")])


def test_unscoped_queryset_can_still_be_built_and_refined_at_import_time():
    built = Vendor.objects.filter(name__startswith="A").exclude(country="").order_by("name").values("pk")
    assert built.model is Vendor  # form classes declare such querysets; only running them is refused
    with pytest.raises(TenantScopeError):
        list(built)


def test_a_logged_update_keeps_its_conditions(tenant_a, admin_a, make_vendor):
    vendor = make_vendor(tenant_a, name="Swap GmbH", country="DE")
    with acting(tenant_a, admin_a):
        assert Vendor.objects.filter(pk=vendor.pk, country="FR").update(name="Lost") == 0
        assert Vendor.objects.filter(pk=vendor.pk, country="DE").update(name="Won") == 1
    assert [c.postchange_data["name"] for c in changes_of(Vendor, vendor.pk, "update")] == ["Won"]
