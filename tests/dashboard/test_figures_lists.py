"""Every dashboard figure on seeded data: AVV/DPA coverage, transfers without a recorded basis, the grades and
TLS certificates of the latest scans, reviews due and overdue, expiring vendor certifications, discovered apps
waiting for review, coverage of automated evidence — each with the right number, each linking to a list that
shows the same number; and a tenant without data gets "cannot say yet", never a 0."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import acting
from tests.web.conftest import assert_csp_clean

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<a href="([^"]+)"[^>]*data-figure="([^"]+)" data-count="(\d+)">')
UNKNOWN = re.compile(r'<li class="dash-unknown" data-figure="([^"]+)">')
RESULT = re.compile(r'data-result-count="(\d+)"')


def figures_of(client) -> dict[str, tuple[int, str]]:
    html = client.get(reverse("dashboard:home")).content.decode()
    return {key: (int(count), url.replace("&amp;", "&")) for url, key, count in FIGURE.findall(html)}


def listed_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = RESULT.findall(response.content.decode())
    assert len(found) == 1, f"{url}: {len(found)} result counts"
    return int(found[0])


def _seed(inventory, tenant):
    from vendorvet.web.assessments.models import Answer, Assessment, Certification, Decision
    from vendorvet.web.discovery.models import DiscoveredApp, ImportRun
    from vendorvet.web.legal.models import Contract, TransferAssessment
    from vendorvet.web.scans.models import Finding, ScanRun, ScanTarget

    today = timezone.localdate()
    now = timezone.now()
    crm, payroll = inventory["Acme CRM"], inventory["Payroll Export"]
    slack, wiki = inventory["Slack Workspace"], inventory["Wiki Plugin"]
    acme, datev, slack_vendor = (inventory["vendors"][k] for k in ("acme", "datev", "slack"))
    with acting(tenant):
        # legal: CRM (personal, US) needs SCCs and has none on file, no AVV; DATEV has an AVV; Lohn not assessed
        Contract.objects.create(vendor=datev, type=Contract.Type.DPA, title="AVV DATEV")
        Contract.objects.create(vendor=slack_vendor, type=Contract.Type.SCC, title="SCC Slack")
        for integration, basis, third in ((crm, "scc", True), (payroll, "none_needed", False),
                                          (slack, "scc", True)):
            TransferAssessment.objects.create(integration=integration, basis=basis, third_country_transfer=third,
                                              content_version="test")
        # scans: CRM's latest finished run is graded D (an older one A); Payroll's could not be graded;
        # a failed run and a retired integration's run do not count
        def run(integration, grades, status="done", not_after=None, minutes=0):
            r = ScanRun.objects.create(integration=integration, status=status)
            ScanRun.all_tenants.filter(pk=r.pk).update(created=now - dt.timedelta(minutes=minutes))
            for i, grade in enumerate(grades):
                t = ScanTarget.objects.create(run=r, target=f"https://h{i}.example", grade=grade)
                if not_after:
                    Finding.objects.create(run=r, scan_target=t, check_id="tls.cert.expiring", status="pass",
                                           severity="info", title="cert", evidence={"not_after": not_after})
            return r
        run(crm, ["A"], minutes=60, not_after=(now + dt.timedelta(days=5)).isoformat())  # older: not counted
        run(crm, ["B", "D"], not_after=(now + dt.timedelta(days=20)).isoformat())
        run(payroll, [""], not_after=(now + dt.timedelta(days=60)).isoformat())
        run(slack, ["A"], status="failed")
        run(wiki, ["F"])
        # reviews: CRM overdue; Payroll's latest decision is due soon (its older one was overdue); Slack later
        def decide(integration, next_review, decided_days_ago=0):
            a = Assessment.objects.create(integration=integration, checklist_version="t", tier_at_start=2)
            Decision.objects.create(assessment=a, outcome="approve", reviewer_label="t", justification="t",
                                    tier=2, score=80, grade="B", next_review_date=next_review,
                                    decided_on=today - dt.timedelta(days=decided_days_ago))
            return a
        crm_review = decide(crm, today - dt.timedelta(days=5))
        decide(payroll, today - dt.timedelta(days=3), decided_days_ago=400)
        decide(payroll, today + dt.timedelta(days=10))
        decide(slack, today + dt.timedelta(days=100))
        # certifications: ACME's expires in 10 days, DATEV's in 60, Slack's in 200
        for vendor, days in ((acme, 10), (datev, 60), (slack_vendor, 200)):
            Certification.objects.create(vendor=vendor, kind="iso27001", valid_until=today + dt.timedelta(days=days))
        # answered review points: checked, could not check, none, not applicable only; one unanswered
        for i, (seen, answered) in enumerate((([{"state": "checked"}, {"state": "could_not_check"}], True),
                                              ([{"state": "could_not_check"}], True), ([], True),
                                              ([{"state": "not_applicable"}], True),
                                              ([{"state": "checked"}], False))):
            Answer.objects.create(assessment=crm_review, requirement_id=f"R{i}", value="yes",
                                  evidence_seen=seen, answered_at=now if answered else None)
        # discovery: two proposals (high, low), one accepted, one rejected
        ImportRun.objects.create(source="google_workspace", started=now)
        for name, risk, state in (("Shadow A", "high", "pending"), ("Shadow B", "low", "pending"),
                                  ("Known", "medium", "accepted"), ("Gone", "high", "rejected")):
            DiscoveredApp.objects.create(platform="google", client_id=name, name=name, risk=risk,
                                         review_state=state)


@pytest.fixture
def seeded_all(tenant_a, inventory_a):
    _seed(inventory_a, tenant_a)
    return inventory_a


EXPECTED = {
    "legal.personal": 3, "legal.personal_dpa": 2, "legal.personal_no_dpa": 1, "legal.transfer_no_basis": 1,
    "legal.transfer_unchecked": 1,
    "scans.grade.A": 0, "scans.grade.B": 0, "scans.grade.D": 1, "scans.grade.F": 0, "scans.grade.none": 1,
    "scans.tls30": 1, "scans.tls90": 2,
    "assessments.review_overdue": 1, "assessments.review_due": 1,
    "assessments.certs30": 1, "assessments.certs90": 2,
    "assessments.coverage": 4, "assessments.coverage.checked": 1, "assessments.coverage.could_not_check": 1,
    "assessments.coverage.manual": 2,
    "discovery.pending": 2, "discovery.pending.high": 1, "discovery.pending.medium": 0, "discovery.pending.low": 1,
}


def test_every_new_figure_is_right(seeded_all, admin_a, login):
    client = login(admin_a)
    response = client.get(reverse("dashboard:home"))
    html = response.content.decode()
    assert_csp_clean(html)
    figures = figures_of(client)
    assert {k: figures[k][0] for k in EXPECTED} == EXPECTED
    # shares drawn as server-side SVG bars (AVV/DPA, grades, evidence coverage): sized by attributes, no style
    assert html.count('<svg class="dash-bars"') == 3
    assert '<rect class="bar bar-warn" x="0" y="10" width="25.0" height="8">' in html  # could not check: 1 of 4


def test_every_figure_links_to_a_list_with_the_same_count(seeded_all, admin_a, login):
    client = login(admin_a)
    figures = figures_of(client)
    assert len(figures) > 60
    for key, (count, url) in figures.items():
        assert listed_count(client, url) == count, f"{key}: dashboard {count}, list differs ({url})"


def test_the_facets_narrow_the_integration_list_by_name(seeded_all, admin_a, login):
    client = login(admin_a)
    names = lambda facet: {i.name for i in client.get(  # noqa: E731
        reverse("inventory:integration_list") + f"?facet={facet}").context["integrations"]}
    assert names("legal.personal_no_dpa") == {"Acme CRM"}
    assert names("legal.transfer_no_basis") == {"Acme CRM"}  # Slack needs SCCs too, but they are on file
    assert names("scans.grade.D") == {"Acme CRM"}
    assert names("scans.tls90") == {"Acme CRM", "Payroll Export"}
    assert names("assessments.review_due") == {"Payroll Export"}
    html = client.get(reverse("inventory:integration_list") + "?facet=legal.personal_no_dpa").content.decode()
    assert "no AVV/DPA recorded" in html  # the active facet is named on the list
    # an unknown facet is ignored, like any unknown filter value
    assert len(names("no.such.facet")) == 5


def test_summarised_runs_give_the_same_figures_as_their_rows(seeded_all, admin_a, login):
    """A run finished by the scan task carries its worst grade and certificate day; runs without that summary
    (older rows) are read from their endpoints and findings — both ways give the same figures and lists."""
    from vendorvet.web.scans.dashboard import summarise
    from vendorvet.web.scans.models import ScanRun

    client = login(admin_a)
    scan_keys = [k for k in EXPECTED if k.startswith("scans.")]
    before = {k: v for k, v in figures_of(client).items() if k.startswith("scans.")}
    assert {k: before[k][0] for k in scan_keys} == {k: EXPECTED[k] for k in scan_keys}
    tenant = seeded_all["Acme CRM"].tenant
    with acting(tenant):
        for run in ScanRun.objects.filter(status="done"):
            summarise(run)
            ScanRun.all_tenants.filter(pk=run.pk).update(worst_grade=run.worst_grade, cert_day=run.cert_day)
        crm_latest = ScanRun.objects.filter(integration=seeded_all["Acme CRM"]).order_by("-created").first()
    assert crm_latest.worst_grade == "D"
    assert crm_latest.cert_day == (timezone.now() + dt.timedelta(days=20)).date().isoformat()
    after = {k: v for k, v in figures_of(client).items() if k.startswith("scans.")}
    assert after == before
    for key, (count, url) in after.items():
        assert listed_count(client, url) == count, key
    # a stored summary is what is read: a run marked F by its summary counts as F, on the figure and the list
    ScanRun.all_tenants.filter(pk=crm_latest.pk).update(worst_grade="F")
    figures = figures_of(client)
    assert (figures["scans.grade.F"][0], figures["scans.grade.D"][0]) == (1, 0)
    assert listed_count(client, figures["scans.grade.F"][1]) == 1


def test_a_snooze_that_ran_out_counts_as_open(seeded_all, inventory_b, tenant_b, admin_a, login, member):
    from vendorvet.web.monitoring.models import MonitoringEvent

    now = timezone.now()
    member(tenant_b, admin_a.username, "auditor")
    for tenant, integration in ((seeded_all["Acme CRM"].tenant, seeded_all["Acme CRM"]),
                                (tenant_b, inventory_b["integration"])):
        with acting(tenant):
            for n, until in enumerate((now - dt.timedelta(hours=1), now + dt.timedelta(days=3))):
                MonitoringEvent.objects.create(integration=integration, kind="finding_new", severity="high",
                                               dedup_key=f"snooze:{n}", title=f"snoozed {n}", first_seen=now,
                                               last_seen=now, state="snoozed", snoozed_until=until)
    client = login(admin_a)
    figures = figures_of(client)
    assert figures["monitoring.severity.high"][0] == 1  # the one whose snooze ran out; the other still sleeps
    assert listed_count(client, figures["monitoring.severity.high"][1]) == 1
    assert MonitoringEvent.all_tenants.filter(tenant=tenant_b, state="snoozed").count() == 2  # not woken there
    rows = {r["tenant"]: r for r in client.get(reverse("dashboard:provider")).context["rows"]}
    assert (rows[tenant_b.name]["open"], rows[tenant_b.name]["severe"]) == (1, 1)
    assert MonitoringEvent.all_tenants.filter(tenant=tenant_b, state="snoozed").count() == 1


def test_figures_that_cannot_be_computed_say_so(tenant_a, admin_a, login):
    client = login(admin_a)
    html = client.get(reverse("dashboard:home")).content.decode()
    unknown = set(UNKNOWN.findall(html))
    assert {"scans.grades", "scans.tls30", "scans.tls90", "assessments.review_overdue", "assessments.review_due",
            "assessments.certs30", "assessments.coverage", "discovery.pending"} <= unknown
    assert "Cannot say yet: no scan has finished." in html
    figures = figures_of(client)
    assert not unknown & set(figures)  # no number for them, not even 0


def test_transfers_without_basis_cannot_be_said_before_any_assessment(tenant_a, inventory_a, admin_a, login):
    client = login(admin_a)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "legal.transfer_no_basis" in UNKNOWN.findall(html)
    assert figures_of(client)["legal.personal_no_dpa"][0] == 3


def test_the_new_figures_in_german(seeded_all, admin_a, login):
    client = login(admin_a, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for text in ("Personenbezogene Daten: AVV und Drittlandübermittlungen", "Noten der letzten Scans",
                 "Letzter Scan mit Note D", "Abdeckung durch automatisierte Nachweise",
                 "Entdeckte Apps, die auf Prüfung warten", "Prüfungen fällig und überfällig"):
        assert text in html, text


def test_the_provider_view_reads_few_queries(seeded_all, inventory_b, tenant_b, admin_a, login, member,
                                            django_assert_max_num_queries):
    member(tenant_b, admin_a.username, "auditor")
    client = login(admin_a)
    client.get(reverse("dashboard:provider"))
    with django_assert_max_num_queries(15):  # grouped over all tenants, not a pass per tenant
        response = client.get(reverse("dashboard:provider"))
    rows = {r["tenant"]: r for r in response.context["rows"]}
    assert rows[tenant_b.name]["overdue"] is None  # no review decided there: unknown, not 0
    assert rows["Nordlicht Maschinenbau GmbH"]["overdue"] == 1
    # the grouped queries give the same key figures as the tenant's own dashboard
    from vendorvet.web.dashboard import figures
    from vendorvet.web.dashboard.snapshots import series_values
    from vendorvet.web.dashboard.views import tenant_row

    for tenant in (seeded_all["Acme CRM"].tenant, tenant_b):
        with acting(tenant):
            own = tenant_row(tenant, figures.flat(figures.collect()))
        assert {k: rows[tenant.name][k] for k in own} == own
        with acting(tenant):
            assert own["risk"] == series_values(figures.flat(figures.collect()))["risk"]
