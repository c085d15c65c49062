"""A component whose version went down between two SBOM versions is flagged, in each ecosystem's own order."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.conftest import acting
from tests.web.conftest import assert_csp_clean
from vendorvet.web.supplychain import services

pytestmark = pytest.mark.django_db


def cdx(*purls: str) -> bytes:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
        {"type": "library", "name": p.rsplit("/", 1)[-1].split("@")[0], "purl": p,
         "version": p.rsplit("@", 1)[-1]} for p in purls]}).encode()


OLD = cdx("pkg:npm/lodash@4.17.21", "pkg:pypi/jinja2@3.1.4", "pkg:golang/golang.org/x/net@v0.16.0",
          "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1", "pkg:pypi/epoch-pkg@1!1.0",
          "pkg:gem/rack@2.2.8")
# lodash down; jinja2 up (3.1.10 > 3.1.4, though not as text); Go down (v0.9.0 < v0.16.0, though not as text);
# Maven down to a SNAPSHOT of the same version; PyPI down past an epoch; RubyGems down to a pre-release.
NEW = cdx("pkg:npm/lodash@4.17.20", "pkg:pypi/jinja2@3.1.10", "pkg:golang/golang.org/x/net@v0.9.0",
          "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1-SNAPSHOT", "pkg:pypi/epoch-pkg@5.0",
          "pkg:gem/rack@2.2.8.pre")
DOWN = {"pkg:npm/lodash", "pkg:golang/golang.org/x/net", "pkg:maven/org.apache.logging.log4j/log4j-core",
        "pkg:pypi/epoch-pkg", "pkg:gem/rack"}


@pytest.fixture
def two_versions(tenant_a, admin_a, crm_a, osv_db):
    with acting(tenant_a, admin_a):
        old = services.import_sbom(crm_a, OLD, label="1.0")
        new = services.import_sbom(crm_a, NEW, label="1.1")
    return old, new


def test_diff_flags_downgrades_per_ecosystem(tenant_a, two_versions):
    old, new = two_versions
    with acting(tenant_a):
        d = services.diff(old, new)
    flags = {u["package"]: u["downgraded"] for u in d["upgraded"]}
    assert {p for p, down in flags.items() if down} == DOWN
    assert flags["pkg:pypi/jinja2"] is False
    assert services.version_direction("npm", ["1.0.0"], ["not a version"]) == ""
    assert services.version_direction("", ["2"], ["1"]) == ""
    assert services.version_direction("PyPI", ["1.0", "2.0"], ["1.5"]) == "down"  # highest before vs after


def test_downgrade_in_api_and_page(tenant_a, auditor_a, two_versions, api_as, login):
    old, new = two_versions
    data = api_as(tenant_a, auditor_a).get(f"/api/supplychain/sboms/{new.pk}/diff/").json()
    assert set(data["downgraded"]) == DOWN
    lodash = next(u for u in data["upgraded"] if u["package"] == "pkg:npm/lodash")
    assert lodash == {"package": "pkg:npm/lodash", "old": "4.17.21", "new": "4.17.20", "downgraded": True}
    html = login(auditor_a).get(reverse("supplychain:sbom", args=[new.pk])).content.decode()
    assert html.count('class="version-change downgraded"') == len(DOWN)
    assert "pkg:pypi/jinja2: 3.1.4 → 3.1.10</div>" in html
    assert_csp_clean(html)
