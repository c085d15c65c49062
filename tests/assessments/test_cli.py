"""``vendorvet tier`` and ``vendorvet assess``: same rules as web and API, logged as cli."""

from __future__ import annotations

import json

import pytest

from vendorvet.cli.main import main
from vendorvet.web.assessments.models import Assessment
from vendorvet.web.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_tier_prints_tier_and_reasons(capsys, admin_a, crm):
    code, out, err = cli(capsys, "tier", str(crm.pk), "--tenant", "nordlicht", "--user", "anna.admin")
    assert code == 0, err
    assert "Tier 2" in out and "administrative access → at least tier 2" in out
    assert "personal data → at least tier 3" in out
    code, out, _ = cli(capsys, "tier", str(crm.pk), "--format", "json", "--tenant", "nordlicht", "--user", "anna.admin")
    assert json.loads(out)["tier"] == 2


def test_assess_start_answer_decide_show(capsys, admin_a, auditor_a, crm, lenient_policy):
    actor = ["--tenant", "nordlicht", "--user", "anna.admin"]
    code, out, err = cli(capsys, "assess", "start", str(crm.pk), "--due", "2027-01-31", *actor)
    assert code == 0, err
    assert "tier 2" in out
    pk = Assessment.all_tenants.get().pk
    code, out, err = cli(capsys, "assess", "answer", str(pk), "cert.recognised", "met", "--comment", "ISO", *actor)
    assert code == 0 and "Score now" in out
    # an auditor may show but not answer
    code, out, err = cli(capsys, "assess", "answer", str(pk), "enc.rest", "met", "--tenant", "nordlicht",
                         "--user", "aylin.auditor")
    assert code == 1 and "permission denied" in err
    code, out, err = cli(capsys, "assess", "decide", str(pk), "approve_with_conditions", "--justification", "ok",
                         "--condition", "Enforce MFA|IT security|2027-03-01", "--date", "2026-02-01", *actor)
    assert code == 0, err
    assert "next review 2027-08-01" in out  # tier 2: 18 months
    code, out, err = cli(capsys, "assess", "show", str(pk), "--format", "json", "--tenant", "nordlicht",
                         "--user", "aylin.auditor")
    data = json.loads(out)
    assert data["decision"]["conditions"][0]["owner"] == "IT security"
    assert data["answers"][0]["requirement"] and data["grade"] in "ABCDEF"
    assert set(data["coverage"]) == {"checks_ran", "checks_cited", "not_covered", "unknown"}
    assert data["coverage"]["checks_cited"] >= data["coverage"]["checks_ran"]
    code, out, err = cli(capsys, "assess", "show", str(pk), "--tenant", "nordlicht", "--user", "aylin.auditor")
    assert code == 0 and "Based on " in out and " automated checks" in out
    assert ObjectChange.all_tenants.filter(actor_kind="cli", postchange_data__value="met").exists()


def test_assess_refuses_other_tenant_objects(capsys, admin_b, started):
    code, out, err = cli(capsys, "assess", "show", str(started.pk), "--tenant", "hafenblick", "--user", "bernd.admin")
    assert code == 1 and "no assessment" in err
