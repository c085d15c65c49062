"""Tenant scoping by construction and the change history with explicit actors."""

from __future__ import annotations

import pytest

from vendorvet.web.core.context import (
    Actor,
    ActorRequiredError,
    TenantScopeError,
    acting_as,
    tenant_session,
    use_tenant,
)
from vendorvet.web.core.models import ObjectChange
from vendorvet.web.inventory.models import Endpoint, Integration, Vendor

pytestmark = pytest.mark.django_db


def test_query_without_tenant_refuses_to_run(tenant_a, make_integration):
    make_integration(tenant_a)
    qs = Integration.objects.all()  # building is allowed (form classes do it at import time)
    for run in (lambda: list(qs), qs.count, qs.exists, lambda: qs.first(), lambda: qs.update(name="x"),
                lambda: qs.delete(), lambda: Integration.objects.get(pk=1)):
        with pytest.raises(TenantScopeError):
            run()


def test_each_tenant_sees_only_its_own_rows(tenant_a, tenant_b, make_integration, make_vendor):
    mine = make_integration(tenant_a, name="CRM A")
    vb = make_vendor(tenant_b, name="Other Vendor")
    theirs = make_integration(tenant_b, name="CRM B", vendor=vb)
    with use_tenant(tenant_a):
        assert list(Integration.objects.values_list("name", flat=True)) == ["CRM A"]
        assert not Integration.objects.filter(pk=theirs.pk).exists()
        with pytest.raises(Integration.DoesNotExist):
            Integration.objects.get(pk=theirs.pk)
        assert list(Vendor.objects.values_list("name", flat=True)) == ["Acme Cloud Inc."]
    with use_tenant(tenant_b):
        assert list(Integration.objects.values_list("pk", flat=True)) == [theirs.pk]
        assert mine.pk not in set(Integration.objects.values_list("pk", flat=True))


def test_cannot_save_into_another_tenant_or_link_across(tenant_a, tenant_b, make_integration, make_vendor):
    foreign_vendor = make_vendor(tenant_b, name="B Vendor")
    own = make_integration(tenant_a, name="CRM A")
    with tenant_session(tenant_a, Actor.system()):
        own.vendor = foreign_vendor
        with pytest.raises(TenantScopeError):
            own.save()
    with tenant_session(tenant_b, Actor.system()):
        fresh = Integration.all_tenants.get(pk=own.pk)
        fresh.name = "hijacked"
        with pytest.raises(TenantScopeError):
            fresh.save()
    with use_tenant(tenant_a):
        assert Integration.objects.get(pk=own.pk).name == "CRM A"


def test_write_without_actor_is_refused_and_nothing_is_stored(tenant_a):
    with use_tenant(tenant_a):
        with pytest.raises(ActorRequiredError):
            Vendor(name="Nobody's Vendor").save()
        assert not Vendor.objects.filter(name="Nobody's Vendor").exists()


def test_change_history_records_actor_and_before_after(tenant_a, admin_a, make_integration):
    integration = make_integration(tenant_a, name="Payroll", department="HR")
    cli = Actor(kind="cli", label="anna.admin (cli, root)", user=admin_a, role="admin")
    with tenant_session(tenant_a, cli):
        integration = Integration.objects.get(pk=integration.pk)
        integration.department = "People"
        integration.data_categories = ["personal", "financial"]
        integration.save()
        change = ObjectChange.objects.filter(changed_object_id=integration.pk, action="update").get()
    assert change.actor_kind == "cli"
    assert change.user_id == admin_a.pk
    assert change.actor_label == "anna.admin (cli, root)"
    diff = {field: (before, after) for field, before, after in change.diff}
    assert diff["department"] == ("HR", "People")
    assert diff["data_categories"] == ([], ["financial", "personal"])
    assert diff["tier"] == (4, 2)


def test_saving_unchanged_object_logs_nothing(tenant_a, make_integration):
    integration = make_integration(tenant_a)
    with tenant_session(tenant_a, Actor.system()):
        before = ObjectChange.objects.count()
        Integration.objects.get(pk=integration.pk).save()
        assert ObjectChange.objects.count() == before


def test_child_changes_appear_under_parent_and_deletes_are_logged(tenant_a, make_integration):
    integration = make_integration(tenant_a)
    task = Actor(kind="task", label="monitoring re-scan")
    with tenant_session(tenant_a, task):
        endpoint = Endpoint.objects.create(integration=integration, url="https://api.acme.example/v1")
        endpoint.delete()
        related = ObjectChange.objects.filter(related_object_id=integration.pk).order_by("time", "pk")
        assert [c.action for c in related] == ["create", "delete"]
        assert related[1].prechange_data["url"] == "https://api.acme.example/v1"
        assert related[1].actor_kind == "task"


def test_history_is_append_only(tenant_a, make_integration):
    make_integration(tenant_a)
    with use_tenant(tenant_a):
        change = ObjectChange.objects.first()
        with pytest.raises(RuntimeError):
            change.save()
        with pytest.raises(RuntimeError):
            change.delete()


def test_has_lookup_on_json_lists(tenant_a, make_integration):
    make_integration(tenant_a, name="HR tool", data_categories=["personal", "health"])
    make_integration(tenant_a, name="Wiki", data_categories=["internal"])
    with use_tenant(tenant_a):
        names = lambda cat: sorted(Integration.objects.filter(data_categories__has=cat).values_list("name", flat=True))  # noqa: E731
        assert names("health") == ["HR tool"]
        assert names("internal") == ["Wiki"]
        assert names("financial") == []


def test_has_lookup_is_exact_for_lookalikes_and_escaped_values(tenant_a, make_integration):
    """The text pre-check on SQLite never decides alone: a value that is only part of an element or written escaped
    in JSON (umlauts, quotes) is matched by the element test on both databases."""
    make_integration(tenant_a, name="A", data_categories=["personal_extra", "x personal"], tags=["Büro"])
    make_integration(tenant_a, name="B", data_categories=["personal"], tags=['say "hi"', "\\back"])
    make_integration(tenant_a, name="C", data_categories=["internal"], tags=["Bürokratie", "x Büro"])
    with use_tenant(tenant_a):
        names = lambda **kw: sorted(Integration.objects.filter(**kw).values_list("name", flat=True))  # noqa: E731
        assert names(data_categories__has="personal") == ["B"]
        assert names(tags__has="Büro") == ["A"]
        assert names(tags__has='say "hi"') == ["B"]
        assert names(tags__has="\\back") == ["B"]
        assert names(tags__has="Bürokratie") == ["C"]
        # any of several values: one test per row, the same exactness
        assert names(data_categories__has_any=["personal", "internal"]) == ["B", "C"]
        assert names(data_categories__has_any=["personal_extra"]) == ["A"]
        assert names(data_categories__has_any=["financial", "x"]) == []
        assert names(tags__has_any=['say "hi"', "Büro"]) == ["A", "B"]
        assert names(tags__has_any=["Bür", "kratie"]) == []


def test_actor_context_is_reset_after_use(tenant_a):
    with acting_as(Actor.system("outer")):
        with acting_as(Actor(kind="task", label="inner")):
            pass
        from vendorvet.web.core.context import current_actor

        assert current_actor().label == "outer"
