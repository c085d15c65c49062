"""The approval policy: the defaults refuse an approval at F with unknowns (service, web, API, CLI); a risk
acceptance by a second person approves it and lands in the register and on the integration; four eyes; the
DPO's sign-off; reminders and the lapse from the calendar sweep; contradictory policies; role permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.assessments.test_cli import cli
from tests.assessments.test_web_api import api_client
from tests.conftest import acting
from tests.scans.conftest import IMMEDIATE
from vendorvet.web.accounts import roles
from vendorvet.web.assessments import policy, risk, services
from vendorvet.web.assessments.models import Condition, Decision, RiskAcceptance
from vendorvet.web.core.context import PermissionDeniedError

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def acceptance(**changes):
    values = {"risk_owner": "Dr. Petra Weiß (CISO)", "justification": "Needed for the Q2 launch; vendor audit booked.",
              "compensating_controls": "No production data until the AVV is signed; SSO enforced.",
              "expires_on": TODAY + dt.timedelta(days=90)}
    values.update(changes)
    return risk.AcceptanceInput(**values)


@pytest.fixture(autouse=True)
def english():
    """The service messages are asserted in English, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def second_admin(tenant_a, member):
    return member(tenant_a, "bodo.admin", "admin")


@pytest.fixture
def dpo_a(tenant_a, member):
    return member(tenant_a, "dora.dpo", "dpo")


@pytest.fixture
def answered_by_admin(tenant_a, admin_a, started):
    """The administrator answers three points (the rest stays unknown): the main answerer, grade F."""
    with acting(tenant_a, admin_a, role="admin"):
        for rid in ("cert.recognised", "enc.transit.tls12", "enc.rest"):
            services.answer_by_id(started, rid, "met")
    return started


def all_met(tenant, user, assessment, role="assessor"):
    with acting(tenant, user, role=role):
        for a in assessment.answers.all():
            services.answer(a, "met")


def test_defaults_refuse_an_approval_at_f_with_unknowns_with_reasons_and_the_way_forward(
        tenant_a, admin_a, second_admin, answered_by_admin, crm):
    with acting(tenant_a, second_admin, role="admin"):
        assert answered_by_admin.score().grade == "F"
        unknown = answered_by_admin.answers.filter(mandatory=True, value="unknown").count()
        with pytest.raises(ValidationError) as refused:
            services.decide(answered_by_admin, "approve", "looks fine", decided_on=TODAY)
    text = " ".join(refused.value.messages)
    assert "Grade F" in text and "below the policy's threshold C" in text
    assert f"{unknown} mandatory requirements are unknown" in text
    assert "risk acceptance" in text and "second person" in text
    assert not Decision.all_tenants.exists()
    crm.refresh_from_db()
    assert crm.status == "in_review"
    # a rejection needs no policy
    with acting(tenant_a, admin_a, role="admin"):
        assert services.decide(answered_by_admin, "reject", "no AVV").outcome == "reject"


def test_risk_acceptance_by_a_second_person_approves_and_shows_in_register_and_on_integration(
        tenant_a, admin_a, second_admin, answered_by_admin, crm, login):
    with acting(tenant_a, admin_a, role="admin"):  # the main answerer: refused even with a risk acceptance
        with pytest.raises(ValidationError) as refused:
            services.decide(answered_by_admin, "approve", "ok", decided_on=TODAY, risk_acceptance=acceptance())
        assert "second person" in " ".join(refused.value.messages)
    with acting(tenant_a, second_admin, role="admin"):
        with pytest.raises(ValidationError) as too_long:  # bounded by the policy: ≤ 365 days
            services.decide(answered_by_admin, "approve", "ok", decided_on=TODAY,
                            risk_acceptance=acceptance(expires_on=TODAY + dt.timedelta(days=400)))
        assert "expires_on" in too_long.value.message_dict
        with pytest.raises(ValidationError) as incomplete:
            services.decide(answered_by_admin, "approve", "ok", decided_on=TODAY,
                            risk_acceptance=acceptance(compensating_controls="", expires_on=None))
        assert {"compensating_controls", "expires_on"} <= set(incomplete.value.message_dict)
        decision = services.decide(answered_by_admin, "approve", "Accepted for the launch.", decided_on=TODAY,
                                   risk_acceptance=acceptance())
    found = RiskAcceptance.all_tenants.get()
    assert found.decision == decision and found.accepted_by == second_admin and found.integration == crm
    assert {s["code"] for s in found.shortfalls} == {"grade", "mandatory_unknown"}
    crm.refresh_from_db()
    assert crm.status == "approved"

    client = login(admin_a)
    register = client.get(reverse("assessments:risk_register")).content.decode()
    assert "Dr. Petra Weiß (CISO)" in register and crm.name in register and crm.get_absolute_url() in register
    assert "Dr. Petra Weiß" not in client.get(reverse("assessments:risk_register") + "?state=lapsed").content.decode()
    panel = client.get(reverse("assessments:risk_panel", args=[crm.pk])).content.decode()
    assert "Dr. Petra Weiß (CISO)" in panel and 'id="approval-lapsed"' not in panel
    api = api_client(tenant_a, admin_a)
    rows = api.get("/api/assessments/risk-acceptances/", {"integration": crm.pk}).json()
    assert [r["risk_owner"] for r in rows] == ["Dr. Petra Weiß (CISO)"]
    shown = api.get(f"/api/assessments/assessments/{answered_by_admin.pk}/").json()
    assert shown["decision"]["risk_acceptance"]["expires_on"] == (TODAY + dt.timedelta(days=90)).isoformat()


def test_four_eyes_refuses_the_main_answerer_and_lets_a_second_admin_approve(
        tenant_a, admin_a, second_admin, started):
    all_met(tenant_a, admin_a, started, role="admin")
    with acting(tenant_a, admin_a, role="admin"):
        assert started.score().grade == "A"
        with pytest.raises(ValidationError) as refused:
            services.decide(started, "approve", "all met")
        text = " ".join(refused.value.messages)
        assert "Four eyes" in text and "second person" in text
    with acting(tenant_a, second_admin, role="admin"):
        assert services.decide(started, "approve", "all met").outcome == "approve"


def test_four_eyes_counts_answers_by_actor(tenant_a, admin_a, assessor_a, started):
    all_met(tenant_a, assessor_a, started)
    with acting(tenant_a, admin_a, role="admin"):
        services.answer_by_id(started, "cert.recognised", "met")  # one answer: not the main answerer
        assert policy.main_answerers(started) == {assessor_a.pk}
        assert services.decide(started, "approve", "ok").outcome == "approve"


def test_dpo_signoff_required_before_a_tier_2_approval_with_personal_data(
        tenant_a, admin_a, assessor_a, dpo_a, started):
    with acting(tenant_a, admin_a, role="admin"):
        policy.change("The DPO signs off tier 1 and 2 with personal data", dpo_signoff_required=True)
    all_met(tenant_a, assessor_a, started)
    assert "personal_data" in started.conditions and started.tier == 2
    with acting(tenant_a, admin_a, role="admin"):
        with pytest.raises(ValidationError) as refused:
            services.decide(started, "approve", "ok")
        assert "data protection officer" in " ".join(refused.value.messages)
        with pytest.raises(PermissionDeniedError):  # an administrator cannot sign off in the DPO's place
            risk.sign_off_legal(started)
    with acting(tenant_a, assessor_a, role="assessor"), pytest.raises(PermissionDeniedError):
        risk.sign_off_legal(started)
    with acting(tenant_a, dpo_a, role="dpo"):
        with pytest.raises(PermissionDeniedError):  # the DPO does not decide
            services.decide(started, "approve", "ok")
        signoff = risk.sign_off_legal(started, "AVV and TIA on file")
        assert signoff.requirements and all(r.startswith("legal.") for r in signoff.requirements)
    with acting(tenant_a, admin_a, role="admin"):
        assert services.decide(started, "approve", "ok").outcome == "approve"


def test_risk_acceptance_reminder_and_lapse_events_from_the_calendar_sweep(
        tenant_a, admin_a, second_admin, answered_by_admin, crm, login, settings):
    from vendorvet.web.monitoring import events
    from vendorvet.web.monitoring.models import MonitoringEvent

    settings.TASKS = IMMEDIATE
    expires = TODAY + dt.timedelta(days=60)
    with acting(tenant_a, second_admin, role="admin"):
        services.decide(answered_by_admin, "approve", "Accepted.", decided_on=TODAY,
                        risk_acceptance=acceptance(expires_on=expires))
    with acting(tenant_a, kind="task"):
        assert not [r for r in events.sweep_calendar(today=expires - dt.timedelta(days=31))
                    if r.event.kind.startswith("risk_acceptance")]
        reminder = [r.event for r in events.sweep_calendar(today=expires - dt.timedelta(days=10))
                    if r.event.kind.startswith("risk_acceptance")]
        assert [e.kind for e in reminder] == ["risk_acceptance_expiring"]
        assert reminder[0].integration == crm and reminder[0].after["days_left"] == 10
        lapsed = [r.event for r in events.sweep_calendar(today=expires + dt.timedelta(days=1))
                  if r.event.kind.startswith("risk_acceptance")]
        assert [e.kind for e in lapsed] == ["risk_acceptance_lapsed"] and lapsed[0].severity == "high"
        assert MonitoringEvent.objects.get(kind="risk_acceptance_expiring").state == "resolved"
    with acting(tenant_a, admin_a, role="admin"):
        assert risk.lapsed_approval(crm, today=expires + dt.timedelta(days=1)) is not None
        assert risk.lapsed_approval(crm, today=expires) is None


def test_lapsed_approval_flagged_on_the_integration(tenant_a, admin_a, second_admin, answered_by_admin, crm, login):
    today = timezone.localdate()
    with acting(tenant_a, second_admin, role="admin"):
        services.decide(answered_by_admin, "approve", "Accepted.", decided_on=today - dt.timedelta(days=30),
                        risk_acceptance=acceptance(expires_on=today - dt.timedelta(days=1)))
    panel = login(admin_a).get(reverse("assessments:risk_panel", args=[crm.pk])).content.decode()
    assert 'id="approval-lapsed"' in panel and "The approval has lapsed" in panel
    register = login(admin_a).get(reverse("assessments:risk_register") + "?state=lapsed").content.decode()
    assert "Dr. Petra Weiß (CISO)" in register


@pytest.mark.parametrize("values, field", [
    ({"min_grade": "A+"}, "min_grade"),  # above the best grade
    ({"max_acceptance_days": 400}, "max_acceptance_days"),
    ({"max_acceptance_days": 30, "reminder_days": 30}, "reminder_days"),  # reminder before the acceptance starts
])
def test_contradictory_policy_refused_with_a_message(tenant_a, admin_a, values, field):
    with acting(tenant_a, admin_a, role="admin"):
        with pytest.raises(ValidationError) as refused:
            policy.change("try", **values)
        assert field in refused.value.message_dict
        assert policy.current().version == 0  # nothing stored: the defaults still apply
    api = api_client(tenant_a, admin_a)
    response = api.post("/api/assessments/approval-policy/", {**values, "reason": "try"}, format="json")
    assert response.status_code == 400 and field in response.json()


def test_policy_versions_with_who_and_why_in_the_history_web_and_api(tenant_a, admin_a, assessor_a, login):
    from vendorvet.web.core.models import ObjectChange

    client = login(admin_a)
    page = client.get(reverse("assessments:policy")).content.decode()
    assert "The defaults apply" in page
    form = {"four_eyes_max_tier": "1", "min_grade": "D", "block_mandatory_unknown": "on",
            "block_mandatory_failed": "on", "allow_risk_acceptance": "on", "max_acceptance_days": "180",
            "reminder_days": "14", "reason": "Audit committee decision of 12 Feb"}
    assert client.post(reverse("assessments:policy"), form).status_code == 302
    bad = client.post(reverse("assessments:policy"), {**form, "reminder_days": "200", "reason": "x"})
    assert bad.status_code == 400 and "choose a shorter reminder" in bad.content.decode()
    api = api_client(tenant_a, admin_a)
    assert api.get("/api/assessments/approval-policy/").json()["min_grade"] == "D"
    changed = api.post("/api/assessments/approval-policy/", {"min_grade": "B", "reason": "stricter"}, format="json")
    assert changed.status_code == 201 and changed.json()["version"] == 2
    versions = api.get("/api/assessments/approval-policy/versions/").json()
    assert [(v["version"], v["min_grade"], v["reason"]) for v in versions] == [
        (2, "B", "stricter"), (1, "D", "Audit committee decision of 12 Feb")]
    assert versions[0]["max_acceptance_days"] == 180  # the rest carried over
    assert ObjectChange.all_tenants.filter(changed_object_type__model="approvalpolicy",
                                           postchange_data__reason="stricter").exists()
    # an assessor reads the policy but may not change it
    assessor = login(assessor_a)
    assert assessor.get(reverse("assessments:policy")).status_code == 200
    assert assessor.post(reverse("assessments:policy"), form).status_code == 403
    assert api_client(tenant_a, assessor_a).post("/api/assessments/approval-policy/", {"reason": "x"},
                                                 format="json").status_code == 403


def test_role_permissions_of_the_dpo_and_auditors_cannot_decide(tenant_a, dpo_a, auditor_a, started, login):
    assert roles.allowed("dpo", roles.VIEW) and roles.allowed("dpo", roles.SIGN_OFF_LEGAL)
    assert roles.allowed("dpo", roles.CHANGE)  # works on AVV checklists and transfer checks
    for permission in (roles.DECIDE, roles.DELETE, roles.MANAGE_MEMBERS, roles.MANAGE_POLICY):
        assert not roles.allowed("dpo", permission)
    for role in ("admin", "assessor", "auditor"):
        assert not roles.allowed(role, roles.SIGN_OFF_LEGAL)
    assert not roles.allowed("auditor", roles.DECIDE)
    from vendorvet.web.accounts.models import Membership

    assert dict(Membership._meta.get_field("role").choices)["dpo"] == "Data protection officer"
    # the DPO sees the tenant's pages; the auditor can neither decide nor sign off
    assert login(dpo_a).get(reverse("assessments:detail", args=[started.pk])).status_code == 200
    auditor = login(auditor_a)
    assert auditor.post(reverse("assessments:decision", args=[started.pk]),
                        {"outcome": "reject", "justification": "x"}).status_code == 403
    assert auditor.post(reverse("assessments:legal_signoff", args=[started.pk])).status_code == 403
    assert api_client(tenant_a, auditor_a).post(f"/api/assessments/assessments/{started.pk}/decide/",
                                                {"outcome": "reject", "justification": "x"},
                                                format="json").status_code == 403
    dpo_api = api_client(tenant_a, dpo_a)
    assert dpo_api.post(f"/api/assessments/assessments/{started.pk}/decide/", {"outcome": "reject", "justification": "x"},
                        format="json").status_code == 403
    signed = dpo_api.post(f"/api/assessments/assessments/{started.pk}/legal-signoff/", {"note": "ok"}, format="json")
    assert signed.status_code == 200


def test_conditions_with_member_owner_tracked_to_done(tenant_a, admin_a, assessor_a, second_admin, started,
                                                      login, settings):
    from vendorvet.web.monitoring import events

    settings.TASKS = IMMEDIATE
    all_met(tenant_a, assessor_a, started)
    with acting(tenant_a, admin_a, role="admin"):
        services.decide(started, "approve_with_conditions", "ok", [
            ("Enforce MFA", assessor_a, TODAY + dt.timedelta(days=30)),
            ("Sign the AVV", "Legal team", TODAY + dt.timedelta(days=10))], decided_on=TODAY)
    mfa = Condition.all_tenants.get(text="Enforce MFA")
    assert mfa.owner_user == assessor_a and mfa.owner == "arne.assessor"
    client = login(admin_a)
    assert "Enforce MFA" in client.get(reverse("assessments:conditions")).content.decode()
    with acting(tenant_a, kind="task"):  # the overdue check keeps working
        overdue = [r.event for r in events.sweep_calendar(today=TODAY + dt.timedelta(days=11))
                   if r.event.kind == "condition_overdue"]
        assert [e.after["condition"] for e in overdue] == ["Sign the AVV"]
    avv = Condition.all_tenants.get(text="Sign the AVV")
    assert client.post(reverse("assessments:condition_done", args=[avv.pk]), {"note": "signed 3 Mar"}).status_code == 302
    avv.refresh_from_db()
    assert avv.done and avv.done_by_label == "anna.admin" and avv.done_at and avv.done_note == "signed 3 Mar"
    with acting(tenant_a, kind="task"):
        assert not [r for r in events.sweep_calendar(today=TODAY + dt.timedelta(days=12))
                    if r.event.kind == "condition_overdue"]
    open_page = client.get(reverse("assessments:conditions")).content.decode()
    assert "Enforce MFA" in open_page and "Sign the AVV" not in open_page
    api = api_client(tenant_a, admin_a)
    assert [c["text"] for c in api.get("/api/assessments/conditions/", {"open": "1"}).json()["results"]] == ["Enforce MFA"]
    assert api.post(f"/api/assessments/conditions/{mfa.pk}/done/", {}, format="json").json()["done"] is True
    assert api.post(f"/api/assessments/conditions/{mfa.pk}/done/", {}, format="json").status_code == 400


def test_refusals_are_clear_on_the_web_api_and_cli(tenant_a, admin_a, second_admin, answered_by_admin, login,
                                                   capsys):
    page = login(second_admin).post(reverse("assessments:decision", args=[answered_by_admin.pk]),
                                    {"outcome": "approve", "justification": "fine", "cond-TOTAL_FORMS": "0",
                                     "cond-INITIAL_FORMS": "0"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "The approval policy refuses this approval" in html and "risk acceptance" in html
    api = api_client(tenant_a, second_admin)
    response = api.post(f"/api/assessments/assessments/{answered_by_admin.pk}/decide/",
                        {"outcome": "approve", "justification": "fine"}, format="json")
    assert response.status_code == 400 and "below the policy's threshold" in str(response.json())
    code, out, err = cli(capsys, "assess", "decide", str(answered_by_admin.pk), "approve", "--justification", "fine",
                         "--tenant", "nordlicht", "--user", "bodo.admin")
    assert code == 1 and "mandatory requirements are unknown" in err and "--risk-owner" in err
    expires = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    code, out, err = cli(capsys, "assess", "decide", str(answered_by_admin.pk), "approve", "--justification", "fine",
                         "--risk-owner", "CISO", "--risk-justification", "launch", "--compensating-controls",
                         "no production data", "--risk-expires", expires, "--tenant", "nordlicht",
                         "--user", "bodo.admin")
    assert code == 0, err
    assert "Risk acceptance recorded: owner CISO" in out
