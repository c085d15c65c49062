"""URL map: web UI, REST API (/api/), Django admin (/admin/)."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/mfa/", include("vendorvet.web.accounts.mfa.urls")),
    path("accounts/sso/", include("vendorvet.web.accounts.sso.urls")),
    path("accounts/", include("vendorvet.web.accounts.urls")),
    path("api/", include("vendorvet.web.api.urls")),
    path("audit/", include("vendorvet.web.audit.urls")),
    path("assessments/", include("vendorvet.web.assessments.urls")),
    path("scans/", include("vendorvet.web.scans.urls")),
    path("discovery/", include("vendorvet.web.discovery.urls")),
    path("legal/", include("vendorvet.web.legal.urls")),
    path("monitoring/", include("vendorvet.web.monitoring.urls")),
    path("supply-chain/", include("vendorvet.web.supplychain.urls")),
    path("dashboard/", include("vendorvet.web.dashboard.urls")),
    path("dora/", include("vendorvet.web.dora.urls")),
    path("reports/", include("vendorvet.web.reports.urls")),
    path("", include("vendorvet.web.questionnaires.urls")),
    path("watch/", include("vendorvet.web.watch.urls")),
    path("", include("vendorvet.web.inventory.io.urls")),
    path("", include("vendorvet.web.inventory.urls")),
]
