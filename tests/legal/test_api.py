"""Legal REST API: stateless transfer check, assessments, sub-processors, contracts, DPA, TIA, RoPA."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from vendorvet.web.core.context import use_tenant
from vendorvet.web.legal.models import Contract, SubProcessor, TransferAssessment

pytestmark = pytest.mark.django_db


def test_stateless_transfer_check_matches_the_cli_contract(auditor_a, tenant_a, api_as):
    client = api_as(tenant_a, auditor_a)  # a read-only role may run the pure check
    response = client.post("/api/legal/transfer-check/", {
        "our_role": "controller", "vendor_role": "processor", "vendor_country": "DE", "parent_country": "US",
        "sub_processors": ["IN", "US:dpf=yes"], "data_categories": ["personal"]}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert {"third_country_transfer", "basis", "adequacy_country", "scc_module", "tia_required",
            "jurisdiction_warning", "reasoning", "onward_transfers"} <= set(data)
    assert data["basis"] == "none_needed" and "CLOUD Act" in data["jurisdiction_warning"]
    assert [(o["country"], o["basis"], o["scc_module"]) for o in data["onward_transfers"]] == [
        ("IN", "scc", 3), ("US", "dpf", None)]
    bad = client.post("/api/legal/transfer-check/", {"our_role": "controller", "vendor_role": "processor",
                                                     "vendor_country": "XX"}, format="json")
    assert bad.status_code == 400


def test_anonymous_is_refused(anon_api):
    assert anon_api.post("/api/legal/transfer-check/", {}, format="json").status_code in (401, 403)
    assert anon_api.get("/api/legal/assessments/").status_code in (401, 403)


def test_assessment_run_and_sub_processor_trigger(assessor_a, tenant_a, legal_a, api_as):
    client = api_as(tenant_a, assessor_a)
    run = client.post("/api/legal/assessments/", {"integration": legal_a["crm"].pk}, format="json")
    assert run.status_code == 201, run.content
    assert run.json()["basis"] == "scc" and run.json()["scc_module"] == 2
    assert run.json()["reasoning_de"][0].startswith("Rollen:")
    sub = client.post("/api/legal/sub-processors/", {"vendor": legal_a["hosting"].pk, "name": "Infosys",
                                                     "country": "IN", "purpose": "support"}, format="json")
    assert sub.status_code == 201, sub.content
    triggered = sub.json()["triggered_assessments"]
    assert len(triggered) == 1
    detail = client.get(f"/api/legal/assessments/{triggered[0]}/").json()
    assert detail["trigger"] == "sub_processor" and detail["onward_scc"] is True
    listing = client.get(f"/api/legal/assessments/?integration={legal_a['hr'].pk}").json()
    assert [a["id"] for a in listing["results"]] == triggered


def test_profiles_contracts_dpa_tia_and_validation(assessor_a, tenant_a, legal_a, api_as):
    client = api_as(tenant_a, assessor_a)
    vp = client.post("/api/legal/vendor-profiles/", {"vendor": legal_a["acme"].pk, "dpf_status": "yes"},
                     format="json")
    assert vp.status_code == 400 and "dpf_checked" in vp.json()
    vp = client.post("/api/legal/vendor-profiles/", {"vendor": legal_a["acme"].pk, "dpf_status": "yes",
                                                     "dpf_checked": "2026-01-05"}, format="json")
    assert vp.status_code == 201
    ip = client.post("/api/legal/integration-profiles/", {"integration": legal_a["crm"].pk,
                                                          "declared_countries": ["de", "IE"]}, format="json")
    assert ip.status_code == 201 and ip.json()["declared_countries"] == ["DE", "IE"]
    assert client.post("/api/legal/integration-profiles/", {"integration": legal_a["hr"].pk,
                                                            "declared_countries": ["ZZ"]},
                       format="json").status_code == 400
    contract = client.post("/api/legal/contracts/", {"vendor": legal_a["acme"].pk, "type": "sla", "title": "SLA",
                                                     "start": "2026-01-01", "end": "2026-12-31",
                                                     "notice_period_days": 60, "sla_uptime": "99.95"},
                           format="json")
    assert contract.status_code == 201 and contract.json()["notice_deadline"] == "2026-11-01"
    bad = client.post("/api/legal/contracts/", {"vendor": legal_a["acme"].pk, "type": "sla", "title": "x",
                                                "start": "2026-02-01", "end": "2026-01-01"}, format="json")
    assert bad.status_code == 400 and "end" in bad.json()
    dpa = client.post("/api/legal/dpa-items/", {"vendor": legal_a["acme"].pk, "key": "28_3_h", "state": "met",
                                                "clause": "Annex 2"}, format="json")
    assert dpa.status_code == 201
    assert client.post("/api/legal/dpa-items/", {"vendor": legal_a["acme"].pk, "key": "nonsense",
                                                 "state": "met", "clause": "x"}, format="json").status_code == 400
    tia = client.post("/api/legal/tias/", {"integration": legal_a["crm"].pk, "title": "TIA CRM"}, format="json")
    assert tia.status_code == 201
    done = client.patch(f"/api/legal/tias/{tia.json()['id']}/", {"state": "completed"}, format="json")
    assert done.status_code == 400 and "step6_reevaluation" in done.json()
    run = client.post("/api/legal/assessments/", {"integration": legal_a["crm"].pk}, format="json")
    assert run.json()["basis"] == "dpf"


def test_ropa_api_needs_export_and_returns_rows(auditor_a, tenant_a, legal_a, api_as):
    client = api_as(tenant_a, auditor_a)
    data = client.get("/api/legal/ropa/?view=controller&lang=de").json()
    assert data["columns"][0]["label"] == "Verarbeitungstätigkeit"
    assert [r[0] for r in data["rows"]] == ["Acme CRM – Acme Cloud Inc.", "HR Cloud – Berlin Hosting GmbH"]
    assert client.get("/api/legal/ropa/?view=nonsense").status_code == 400


def test_auditor_token_cannot_write(auditor_a, tenant_a, legal_a, api_as):
    client = api_as(tenant_a, auditor_a)
    assert client.post("/api/legal/assessments/", {"integration": legal_a["crm"].pk},
                       format="json").status_code == 403
    assert client.post("/api/legal/sub-processors/", {"vendor": legal_a["acme"].pk, "name": "X",
                                                      "country": "US"}, format="json").status_code == 403
    with use_tenant(tenant_a):
        assert not TransferAssessment.objects.exists() and not SubProcessor.objects.exists()


def test_read_only_token_of_admin_cannot_write(admin_a, tenant_a, legal_a, api_as):
    client = api_as(tenant_a, admin_a, read_only=True)
    assert client.post("/api/legal/contracts/", {"vendor": legal_a["acme"].pk, "type": "nda", "title": "NDA"},
                       format="json").status_code == 403


def test_tenant_isolation(admin_a, tenant_a, legal_a, legal_b, api_as):
    client = api_as(tenant_a, admin_a)
    b = legal_b
    with acting(b["vendor"].tenant):
        TransferAssessment.objects.create(integration=b["integration"], basis="scc", content_version="x")
    for prefix in ("sub-processors", "contracts", "assessments", "dpa-items", "tias", "vendor-profiles",
                   "integration-profiles"):
        listing = client.get(f"/api/legal/{prefix}/")
        assert listing.status_code == 200 and "Secret" not in listing.content.decode() \
            and "Hidden" not in listing.content.decode(), prefix
    assert client.get(f"/api/legal/sub-processors/{b['sub'].pk}/").status_code == 404
    assert client.get(f"/api/legal/contracts/{b['contract'].pk}/").status_code == 404
    assert client.delete(f"/api/legal/contracts/{b['contract'].pk}/").status_code == 404
    # referencing tenant B's vendor or integration from tenant A is "does not exist"
    assert client.post("/api/legal/sub-processors/", {"vendor": b["vendor"].pk, "name": "X", "country": "US"},
                       format="json").status_code == 400
    assert client.post("/api/legal/assessments/", {"integration": b["integration"].pk},
                       format="json").status_code == 400
    with use_tenant(b["vendor"].tenant):
        assert Contract.objects.count() == 1 and SubProcessor.objects.count() == 1
    assert "Secret" not in client.get("/api/legal/ropa/").content.decode()
