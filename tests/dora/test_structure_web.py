"""Branches, intra-group arrangements and deeper supply chains in the DORA web app and API (demo: Elbufer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import acting
from vendorvet.web.dora import services
from vendorvet.web.dora.models import DoraBranch, DoraContract, DoraSubProcessor, DoraVendor
from vendorvet.web.inventory.models import Vendor
from vendorvet.web.legal.models import Contract, SubProcessor

pytestmark = pytest.mark.django_db


def b0403(elbufer) -> set[tuple[str, str, str]]:
    from vendorvet.engine import dora as engine

    with acting(elbufer):
        tables = engine.build(services.assemble().register)
    return {(r.values["c0010"], r.values["c0030"], r.values["c0040"]) for r in tables["B_04.01"]}


def test_branch_is_added_used_by_a_contract_and_kept_unique(elbufer, elbufer_admin, login):
    client = login(elbufer_admin)
    html = client.get(reverse("dora:register")).content.decode()
    assert "EF-DK-001" in html and reverse("dora:branch_add") in html
    response = client.post(reverse("dora:branch_add"), {"code": "EF-SE-001", "name": "Elbufer filial Sverige",
                                                         "country": "SE"})
    assert response.status_code == 302
    duplicate = client.post(reverse("dora:branch_add"), {"code": "EF-SE-001", "name": "again", "country": "SE"})
    assert duplicate.status_code == 400
    missing = client.post(reverse("dora:branch_add"), {"code": "EF-NO-001", "name": "Norge", "country": ""})
    assert missing.status_code == 400
    with acting(elbufer):
        assert DoraBranch.objects.filter(code="EF-SE-001").count() == 1
        sweden = DoraBranch.objects.get(code="EF-SE-001")
        cloud = Contract.objects.get(reference="EF-2024-007")
        profile = DoraContract.objects.get(contract=cloud)
    form = client.get(reverse("dora:contract", args=[cloud.pk])).content.decode()
    assert "EF-SE-001 Elbufer filial Sverige" in form
    data = {"in_register": "on", "arrangement_type": profile.arrangement_type, "annual_cost": "96000",
            "currency": "EUR", "notice_provider_days": "365", "governing_law_country": "DE",
            "branches": [str(sweden.pk)], "signed_by": str(profile.signed_by_id),
            "linked_contracts": []}
    assert client.post(reverse("dora:contract", args=[cloud.pk]), data).status_code == 302
    assert ("EF-2024-007", "eba_ZZ:x838", "EF-SE-001") in b0403(elbufer)
    # deleting the branch removes it from the contracts that named it: the register stays consistent
    assert client.post(reverse("dora:branch_delete", args=[sweden.pk])).status_code == 302
    assert not any(code == "EF-SE-001" for _c, _n, code in b0403(elbufer))
    assert "the register is complete" in client.get(reverse("dora:register")).content.decode()


def test_only_an_intra_group_provider_may_sign_for_the_group(elbufer, elbufer_admin, login):
    with acting(elbufer):
        soc = Contract.objects.get(reference="EF-2025-003")
        outsider = Vendor.objects.get(name="Alsterdata Kernbank AG")
    client = login(elbufer_admin)
    response = client.post(reverse("dora:contract", args=[soc.pk]), {
        "in_register": "on", "arrangement_type": "eba_CO:x1", "annual_cost": "54000", "currency": "EUR",
        "signed_by": str(outsider.pk)})
    assert response.status_code == 400  # not offered: only ICT intra-group providers are choices
    with acting(elbufer):
        assert DoraContract.objects.get(contract=soc).signed_by_id is None


def test_intra_group_provider_needs_an_lei(elbufer, elbufer_admin, login):
    with acting(elbufer):
        group_it = Vendor.objects.get(name="Elbufer IT-Services GmbH")
    client = login(elbufer_admin)
    response = client.post(reverse("dora:vendor", args=[group_it.pk]), {
        "lei": "", "other_code": "HRB 999", "other_code_kind": "CRN", "person_type": "eba_CT:x212",
        "intra_group": "on", "group_entity_type": "eba_CT:x317", "group_hierarchy": "eba_RP:x56"})
    assert response.status_code == 400 and "identified by its LEI" in response.content.decode()


def test_supply_chain_form_refuses_a_circle_and_other_vendors_sub_processors(elbufer, elbufer_admin, login):
    with acting(elbufer):
        nordkap_sub = SubProcessor.objects.get(name="Nordkap Cloud GmbH")
        hanse = SubProcessor.objects.get(name="Hanse Rechenzentrum GmbH")
        skagen = SubProcessor.objects.get(name="Skagen Telemetry ApS")
        profile = DoraSubProcessor.objects.get(sub_processor=nordkap_sub)
    client = login(elbufer_admin)
    base = {"in_supply_chain": "on", "lei": profile.lei, "person_type": "eba_CT:x212"}
    circle = client.post(reverse("dora:sub_processor", args=[nordkap_sub.pk]), {**base, "recipient": str(hanse.pk)})
    assert circle.status_code == 400 and "circle" in circle.content.decode()
    other = client.post(reverse("dora:sub_processor", args=[nordkap_sub.pk]), {**base, "recipient": str(skagen.pk)})
    assert other.status_code == 400
    with acting(elbufer):
        assert DoraSubProcessor.objects.get(pk=profile.pk).recipient_id is None


def test_rank_three_moves_up_when_its_recipient_leaves_the_supply_chain(elbufer):
    from vendorvet.engine import dora as engine
    from vendorvet.web.demo_dora import demo_lei

    with acting(elbufer):
        DoraSubProcessor.objects.filter(sub_processor__name="Nordkap Cloud GmbH").update(in_supply_chain=False)
        tables = engine.build(services.assemble().register)
    chain = {(r.values["c0010"], r.values["c0030"], r.values["c0050"]) for r in tables["B_05.02"]}
    assert ("EF-2023-001", demo_lei("HANSERZ"), "2") in chain  # now directly below Alsterdata
    assert ("EF-2023-001", demo_lei("HANSERZ"), "3") not in chain


def test_stored_circle_does_not_hang_the_register(elbufer):
    with acting(elbufer):
        nordkap_sub = SubProcessor.objects.get(name="Nordkap Cloud GmbH")
        hanse = SubProcessor.objects.get(name="Hanse Rechenzentrum GmbH")
        DoraSubProcessor.objects.filter(sub_processor=nordkap_sub).update(recipient=hanse)  # imported, unchecked
        assembly = services.assemble()
        issues, _gaps = services.completeness(assembly)
    assert assembly is not None and isinstance(issues, list)


def test_branches_api_and_tenant_isolation(elbufer, elbufer_admin, tenant_a, admin_a, api_as):
    api = api_as(elbufer, elbufer_admin)
    listed = api.get("/api/dora/branches/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["code"] for r in rows] == ["EF-DK-001"]
    created = api.post("/api/dora/branches/", {"code": "EF-FI-001", "name": "Elbufer Suomi", "country": "fi"},
                       format="json")
    assert created.status_code == 201 and created.json()["country"] == "FI"
    again = api.post("/api/dora/branches/", {"code": "EF-FI-001", "name": "x", "country": "FI"}, format="json")
    assert again.status_code == 400
    wrong = api.post("/api/dora/branches/", {"code": "EF-XX-001", "name": "x", "country": "XX"}, format="json")
    assert wrong.status_code == 400
    branch_id = created.json()["id"]
    other = api_as(tenant_a, admin_a)
    assert other.get(f"/api/dora/branches/{branch_id}/").status_code == 404
    other_list = other.get("/api/dora/branches/").json()
    assert (other_list["results"] if isinstance(other_list, dict) else other_list) == []
    assert other.delete(f"/api/dora/branches/{branch_id}/").status_code == 404
    assert api.delete(f"/api/dora/branches/{branch_id}/").status_code == 204
    with acting(elbufer):
        assert not DoraBranch.objects.filter(code="EF-FI-001").exists()
        assert DoraVendor.objects.filter(intra_group=True).count() == 1


def test_branch_pages_of_another_tenant_are_not_found(elbufer, admin_a, login):
    with acting(elbufer):
        branch = DoraBranch.objects.get(code="EF-DK-001")
    client = login(admin_a)
    assert client.get(reverse("dora:branch_edit", args=[branch.pk])).status_code == 404
    assert client.post(reverse("dora:branch_delete", args=[branch.pk])).status_code == 404
    with acting(elbufer):
        assert DoraBranch.objects.filter(pk=branch.pk).exists()
