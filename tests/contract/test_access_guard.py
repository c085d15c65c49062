"""Every route has an access guard: an anonymous request is sent to a login page or refused (401/403).

A new view that forgets its guard fails here without anyone writing a test for it: the proof mounts a deliberately
unguarded web view and API view next to the real URL map and sees both reported.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.contract.routes import PUBLIC_ROUTES, all_routes, anonymous_guard_failures

pytestmark = pytest.mark.django_db


def test_every_route_is_guarded_and_sends_the_csp():
    assert anonymous_guard_failures() == []


def test_the_walk_finds_web_api_and_admin_routes():
    names = {route.name for route in all_routes()}
    # spot checks of each kind: a nested web route, a router-made API route, an admin route
    assert {"inventory:integration_edit", "api:inventory-integration-detail", "api:accounts-me", "admin:index"} <= names
    assert len(names) > 150


def test_the_public_allow_list_is_small_and_names_real_routes():
    names = {route.name for route in all_routes()}
    assert set(PUBLIC_ROUTES) <= names, set(PUBLIC_ROUTES) - names
    assert len(PUBLIC_ROUTES) <= 16


@override_settings(ROOT_URLCONF="tests.contract.unguarded_urls")
def test_an_unguarded_view_is_reported_without_a_test_of_its_own():
    failures = anonymous_guard_failures("tests.contract.unguarded_urls")
    reported = "\n".join(failures)
    assert "contract_probe_web /contract-probe/" in reported
    assert "contract_probe_api /contract-probe/api/" in reported
    assert "contract_probe_guarded" not in reported  # a guarded probe passes: the check discriminates
    assert len(failures) == 2, failures  # and the real URL map next to them is still clean
