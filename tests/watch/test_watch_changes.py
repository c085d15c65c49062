"""A vendor's sub-processor page changes between fetches: exactly the meaningful changes raise events.

The page is served by a real loopback HTTP server; the check runs through the engine's SSRF-safe client under
the operator's policy (the test-only loopback override, as the scan tests use it)."""

from __future__ import annotations

import pytest

from tests.conftest import acting
from tests.support.watch_server import subprocessor_page
from tests.watch.conftest import IMMEDIATE, events_of
from vendorvet.web.watch import kinds

ROWS = [("Amazon Web Services EMEA SARL", "Hosting", "Ireland"), ("Stripe, Inc.", "Payments", "USA"),
        ("Zendesk", "Support tickets", "Germany")]


def check(tenant, page):
    from vendorvet.web.watch import services
    from vendorvet.web.watch.models import WatchedPage

    with acting(tenant):
        outcome = services.check_page(WatchedPage.objects.get(pk=page.pk))
        return outcome, WatchedPage.objects.get(pk=page.pk)


@pytest.fixture
def page(tenant_a, vendor, server, loopback):
    from vendorvet.web.watch import services

    server.html("/subprocessors", subprocessor_page(ROWS))
    with acting(tenant_a):
        return services.add_page(vendor, server.base + "/subprocessors", "subprocessors")


def kinds_of(events) -> list[str]:
    return sorted(e.kind for e in events)


def test_only_meaningful_changes_raise_events(tenant_a, page, server):
    first, stored = check(tenant_a, page)
    assert first.state == "first" and stored.state == "checked" and len(stored.rows) == 3
    # the first read is the baseline; only the US transfer without a recorded basis is a finding already
    assert kinds_of(events_of(tenant_a)) == [kinds.NO_TRANSFER_BASIS]
    baseline = len(events_of(tenant_a))

    server.html("/subprocessors", subprocessor_page(ROWS, stamp="Last updated: 14 November 2026"))
    outcome, stored = check(tenant_a, page)
    assert outcome.state == "unchanged" and outcome.events == 0 and not stored.latest_diff

    server.html("/subprocessors", subprocessor_page(list(reversed(ROWS)), stamp="Stand: 15.11.2026"))
    outcome, stored = check(tenant_a, page)
    assert outcome.state == "unchanged" and len(events_of(tenant_a)) == baseline

    server.html("/subprocessors", subprocessor_page(ROWS + [("Mailgun Technologies", "E-mail delivery", "USA")]))
    outcome, stored = check(tenant_a, page)
    new = events_of(tenant_a)[baseline:]
    assert outcome.state == "changed" and kinds_of(new) == [kinds.PAGE_CHANGED, kinds.SUBPROCESSOR_ADDED]
    added = next(e for e in new if e.kind == kinds.SUBPROCESSOR_ADDED)
    assert "Mailgun Technologies" in added.shown_title and "Art. 28(2) GDPR" in added.shown_action
    assert "+ Mailgun Technologies | E-mail delivery | USA" in stored.latest_diff and stored.latest_diff_at
    baseline = len(events_of(tenant_a))

    moved = ROWS[:2] + [("Zendesk", "Support tickets", "India"), ("Mailgun Technologies", "E-mail delivery", "USA")]
    server.html("/subprocessors", subprocessor_page(moved))
    outcome, stored = check(tenant_a, page)
    new = events_of(tenant_a)[baseline:]
    assert kinds_of(new) == sorted([kinds.PAGE_CHANGED, kinds.SUBPROCESSOR_MOVED, kinds.NEW_COUNTRY,
                                    kinds.NO_TRANSFER_BASIS])
    basis = next(e for e in new if e.kind == kinds.NO_TRANSFER_BASIS)
    assert "IN" in basis.shown_title and "transfer check" in basis.shown_action
    assert "- Zendesk | Support tickets | Germany" in stored.latest_diff
    assert "+ Zendesk | Support tickets | India" in stored.latest_diff
    baseline = len(events_of(tenant_a))

    outcome, _stored = check(tenant_a, page)  # same body again: a conditional request answered 304
    assert outcome.state == "unchanged" and server.request_headers["/subprocessors"][-1].get("If-None-Match")
    assert len(events_of(tenant_a)) == baseline

    server.html("/subprocessors", subprocessor_page(moved[1:]))
    outcome, stored = check(tenant_a, page)
    assert kinds_of(events_of(tenant_a)[baseline:]) == [kinds.PAGE_CHANGED, kinds.SUBPROCESSOR_REMOVED]


def test_event_text_in_german(tenant_a, page, server):
    from django.utils import translation

    check(tenant_a, page)
    server.html("/subprocessors", subprocessor_page(ROWS + [("Mailgun Technologies", "E-Mail-Versand", "USA")]))
    check(tenant_a, page)
    [added] = events_of(tenant_a, kind=kinds.SUBPROCESSOR_ADDED)
    [changed] = events_of(tenant_a, kind=kinds.PAGE_CHANGED)
    with translation.override("de"):
        assert "Art. 28 Abs. 2 DSGVO" in added.shown_action
        assert "neuen Unterauftragsverarbeiter" in added.shown_title
        assert "Liste der Unterauftragsverarbeiter" in changed.shown_title
    assert "Sub-processor list" in changed.shown_title


def test_first_check_compares_with_the_sub_processors_on_record(tenant_a, vendor, page):
    from vendorvet.web.legal.models import SubProcessor

    with acting(tenant_a):
        for name, country in (("Amazon Web Services EMEA SARL", "IE"), ("Stripe, Inc.", "US")):
            SubProcessor.objects.create(vendor=vendor, name=name, country=country)
    check(tenant_a, page)
    added = events_of(tenant_a, kind=kinds.SUBPROCESSOR_ADDED)
    assert [e.after["name"] for e in added] == ["Zendesk"]
    assert "not among the sub-processors on record" in added[0].shown_title


def test_a_transfer_check_covering_the_country_is_a_basis(tenant_a, vendor, page):
    from vendorvet.web.inventory.models import Integration
    from vendorvet.web.legal import services as legal_services

    with acting(tenant_a):
        legal_services.run_assessment(Integration.objects.get(vendor=vendor))
    check(tenant_a, page)
    assert events_of(tenant_a, kind=kinds.NO_TRANSFER_BASIS) == []


def _good_then(tenant, page, server):
    outcome, good = check(tenant, page)
    assert outcome.state == "first"
    return good


def _kept(good, after):
    assert after.state == "could_not_check" and after.reason
    assert (after.fingerprint, after.text, after.rows, after.last_checked) == \
        (good.fingerprint, good.text, good.rows, good.last_checked)


def test_stalling_server_is_cut_off_and_nothing_is_lost(tenant_a, page, server):
    good = _good_then(tenant_a, page, server)
    server.stall.add("/subprocessors")
    outcome, after = check(tenant_a, page)
    assert outcome.state == "could_not_check" and "timed out" in after.reason
    _kept(good, after)


def test_fifty_megabytes_are_refused_and_nothing_is_lost(tenant_a, page, server):
    good = _good_then(tenant_a, page, server)
    server.huge.add("/subprocessors")
    before = len(events_of(tenant_a))
    outcome, after = check(tenant_a, page)
    assert "larger than 5 MB" in after.reason and len(events_of(tenant_a)) == before
    _kept(good, after)


def test_redirect_to_metadata_is_refused_even_with_loopback_allowed(tenant_a, page, server):
    good = _good_then(tenant_a, page, server)
    server.redirect("/subprocessors", "http://169.254.169.254/latest/meta-data/")
    outcome, after = check(tenant_a, page)
    assert "refused by the network policy" in after.reason
    _kept(good, after)


def test_loopback_refused_without_the_operator_override(tenant_a, page, server, settings):
    good = _good_then(tenant_a, page, server)
    settings.VENDORVET_SCAN_ALLOW_LOOPBACK_FOR_TESTS = False
    server.redirect("/subprocessors", server.base + "/elsewhere")
    outcome, after = check(tenant_a, page)
    assert "refused by the network policy" in after.reason and server.hits.get("/elsewhere") is None
    _kept(good, after)


def test_monitoring_tick_checks_due_pages_once(tenant_a, page, server, settings):
    from vendorvet.web.monitoring.scheduling import tick
    from vendorvet.web.watch.models import WatchedPage

    settings.TASKS = IMMEDIATE
    tick(tenants=[tenant_a])
    with acting(tenant_a):
        stored = WatchedPage.objects.get(pk=page.pk)
    assert stored.state == "checked" and stored.next_due > stored.last_checked
    hits = server.hits["/subprocessors"]
    tick(tenants=[tenant_a])  # not due again yet
    assert server.hits["/subprocessors"] == hits


def test_no_page_is_fetched_while_the_tenants_scheduled_monitoring_is_off(tenant_a, page, server, settings):
    """Like the re-scans: a tenant that switched scheduled monitoring off (the demo does) sends no request to a
    vendor's server on the tick; switched on again, the due page is checked."""
    from vendorvet.web.inventory.services import save_object
    from vendorvet.web.monitoring.models import MonitoringSettings
    from vendorvet.web.monitoring.scheduling import tick
    from vendorvet.web.watch.models import WatchedPage

    settings.TASKS = IMMEDIATE
    with acting(tenant_a):
        save_object(MonitoringSettings(enabled=False), creating=True)
    tick(tenants=[tenant_a])
    assert server.hits.get("/subprocessors") is None
    with acting(tenant_a):
        assert WatchedPage.objects.get(pk=page.pk).state == "new"
        current = MonitoringSettings.objects.get()
        current.enabled = True
        save_object(current)
    tick(tenants=[tenant_a])
    assert server.hits.get("/subprocessors")
    with acting(tenant_a):
        assert WatchedPage.objects.get(pk=page.pk).state == "checked"


def test_robots_txt_disallowing_the_page_is_respected(tenant_a, page, server):
    server.pages["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /subprocessors\n")
    outcome, after = check(tenant_a, page)
    assert outcome.state == "could_not_check" and "robots.txt" in after.reason
    assert server.hits.get("/subprocessors") is None and not after.fingerprint


def test_vendor_page_loads_the_watch_panel(tenant_a, admin_a, vendor, login):
    from django.urls import reverse

    html = login(admin_a).get(reverse("inventory:vendor_detail", args=[vendor.pk])).content.decode()
    assert reverse("watch:vendor_panel", args=[vendor.pk]) in html
