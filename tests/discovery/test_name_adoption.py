"""A Google app imported from a token CSV without a client-ID column (``name:`` record) is adopted by a later import
that carries the client ID — one record with its history — unless the match is ambiguous (then both stay, and the
import summary says so). Two real CSV files imported one after the other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import acting
from vendorvet.web.core.context import use_tenant
from vendorvet.web.discovery.models import DiscoveredApp, Grant, ImportRun

pytestmark = pytest.mark.django_db

PLANER = "448120398871-5rj2planer9q0v1m8k3l7c6x4z2b0n9ab.apps.googleusercontent.com"
OTHER = "448120398871-otherplaner0a1b2c3d4e5f6a7b8c9d0e1.apps.googleusercontent.com"
DRIVE = "https://www.googleapis.com/auth/drive"
MAIL = "https://www.googleapis.com/auth/userinfo.email"


def without_client_id(tmp_path, rows: str = ""):
    """The Admin console export as some administrators save it: no client-ID column."""
    path = tmp_path / "token_audit_march.csv"
    path.write_text("Event,Description,Actor,App name,Scope,Date\n"
                    "Authorize,jana.schulz@nordlicht.de authorized access to Schichtplaner Pro,jana.schulz@nordlicht.de,"
                    f"Schichtplaner Pro,{DRIVE},2024-03-01 09:00:00\n"
                    "Authorize,ole.berg@nordlicht.de authorized access to Schichtplaner Pro,ole.berg@nordlicht.de,"
                    f"Schichtplaner Pro,{DRIVE},2024-03-02 09:00:00\n"
                    "Revoke,ole.berg@nordlicht.de revoked access to Schichtplaner Pro,ole.berg@nordlicht.de,"
                    "Schichtplaner Pro,,2024-03-05 10:00:00\n" + rows, encoding="utf-8")
    return path


def with_client_id(tmp_path, rows: str = "", name: str = "token_audit_april.csv"):
    path = tmp_path / name
    path.write_text("Event,Description,Actor,App name,Client ID,Scope,Date\n"
                    "Authorize,mia.klein@nordlicht.de authorized access to Schichtplaner Pro,mia.klein@nordlicht.de,"
                    f"Schichtplaner Pro,{PLANER},{MAIL},2024-04-03 08:00:00\n" + rows, encoding="utf-8")
    return path


def test_a_later_import_with_the_client_id_adopts_the_name_record_with_its_history(tmp_path, tenant_a, importing,
                                                                                    login, admin_a):
    from vendorvet.web.discovery import proposals

    first = importing(tenant_a, "google_tokens", [without_client_id(tmp_path)])
    with use_tenant(tenant_a):
        app = DiscoveredApp.objects.get()
        assert app.client_id == "name:schichtplaner pro"
        grants_before = {g.principal: (g.pk, g.status) for g in Grant.objects.filter(app=app)}
    assert grants_before["ole.berg@nordlicht.de"][1] == "revoked"
    with acting(tenant_a, role="assessor"):
        integration = proposals.accept(app, name="Schichtplaner Pro", vendor_name="Planer Software GmbH",
                                       data_categories=["personal"])

    # the April export has the client-ID column; a row without an ID (an older app version) comes along
    second = importing(tenant_a, "google_tokens", [with_client_id(
        tmp_path, "Authorize,tom.weber@nordlicht.de authorized access to Schichtplaner Pro,tom.weber@nordlicht.de,"
                  f"Schichtplaner Pro,,{DRIVE},2024-04-04 08:00:00\n")])
    with use_tenant(tenant_a):
        apps = list(DiscoveredApp.objects.all())
        assert [(a.pk, a.client_id) for a in apps] == [(app.pk, PLANER)]
        adopted = apps[0]
        assert adopted.integration_id == integration.pk and adopted.review_state == "accepted"
        assert adopted.first_import_id == first.run.pk and adopted.last_import_id == second.run.pk
        grants = {g.principal: g for g in Grant.objects.filter(app=adopted)}
        assert set(grants) == {"jana.schulz@nordlicht.de", "ole.berg@nordlicht.de", "mia.klein@nordlicht.de",
                               "tom.weber@nordlicht.de"}
        for principal, (pk, status) in grants_before.items():  # the same rows, revocation kept
            assert (grants[principal].pk, grants[principal].status) == (pk, status)
        run = ImportRun.objects.get(pk=second.run.pk)
    assert second.new_apps == [] and run.apps_new == 0
    assert any("Schichtplaner Pro: the app recorded without a client ID" in w and PLANER in w for w in run.warnings)

    # a third export without the column again lands on the same app (no new name: record)
    third = tmp_path / "third"
    third.mkdir()
    importing(tenant_a, "google_tokens", [without_client_id(third)])
    with use_tenant(tenant_a):
        assert list(DiscoveredApp.objects.values_list("pk", "client_id")) == [(app.pk, PLANER)]

    client = login(admin_a)
    page = client.get(reverse("discovery:run_detail", args=[second.run.pk]), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "Schichtplaner Pro: Die App, die ohne Client-ID" in text, text[-3000:]


def test_two_client_ids_of_one_name_leave_the_name_record_alone_and_say_so(tmp_path, tenant_a, importing):
    importing(tenant_a, "google_tokens", [without_client_id(tmp_path)])
    second = importing(tenant_a, "google_tokens", [with_client_id(
        tmp_path, "Authorize,eva.lang@nordlicht.de authorized access to Schichtplaner Pro,eva.lang@nordlicht.de,"
                  f"Schichtplaner Pro,{OTHER},{MAIL},2024-04-05 08:00:00\n")])
    with use_tenant(tenant_a):
        assert sorted(DiscoveredApp.objects.values_list("client_id", flat=True)) == sorted(
            ["name:schichtplaner pro", PLANER, OTHER])
        assert Grant.objects.filter(app__client_id="name:schichtplaner pro").count() == 2
        run = ImportRun.objects.get(pk=second.run.pk)
    assert "Schichtplaner Pro: 2 client IDs have this name; the app recorded without a client ID was not merged " \
           "with any of them." in run.warnings


def test_two_name_records_of_one_name_are_not_guessed_between(tmp_path, tenant_a, importing):
    # "Schichtplaner  Pro" (two blanks) and "Schichtplaner Pro" are two name: records of the same display name
    importing(tenant_a, "google_tokens", [without_client_id(
        tmp_path, "Authorize,eva.lang@nordlicht.de authorized access,eva.lang@nordlicht.de,Schichtplaner  Pro,"
                  f"{DRIVE},2024-03-06 09:00:00\n")])
    second = importing(tenant_a, "google_tokens", [with_client_id(tmp_path)])
    with use_tenant(tenant_a):
        assert sorted(DiscoveredApp.objects.values_list("client_id", flat=True)) == sorted(
            ["name:schichtplaner pro", "name:schichtplaner  pro", PLANER])
        run = ImportRun.objects.get(pk=second.run.pk)
    assert any(w.startswith("Schichtplaner Pro: 2 apps recorded without a client ID have this name; none was merged")
               for w in run.warnings), run.warnings


def test_another_tenants_name_record_is_not_adopted(tmp_path, tenant_a, tenant_b, importing):
    importing(tenant_a, "google_tokens", [without_client_id(tmp_path)])
    importing(tenant_b, "google_tokens", [with_client_id(tmp_path)])
    with use_tenant(tenant_a):
        assert list(DiscoveredApp.objects.values_list("client_id", flat=True)) == ["name:schichtplaner pro"]
    with use_tenant(tenant_b):
        assert list(DiscoveredApp.objects.values_list("client_id", flat=True)) == [PLANER]
