from django.urls import path
from django.views.generic import RedirectView

from vendorvet.web.inventory import views_history, views_integrations as integrations, views_tiers, views_vendors as vendors

app_name = "inventory"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard:home", permanent=False), name="home"),
    path("integrations/", integrations.IntegrationListView.as_view(), name="integration_list"),
    path("integrations/add/", integrations.IntegrationCreateView.as_view(), name="integration_add"),
    path("integrations/<int:pk>/", integrations.IntegrationDetailView.as_view(), name="integration_detail"),
    path("integrations/<int:pk>/edit/", integrations.IntegrationUpdateView.as_view(), name="integration_edit"),
    path("integrations/<int:pk>/delete/", integrations.IntegrationDeleteView.as_view(), name="integration_delete"),
    path("integrations/<int:pk>/history/", views_history.IntegrationHistoryView.as_view(),
         name="integration_history"),
    path("vendors/", vendors.VendorListView.as_view(), name="vendor_list"),
    path("vendors/add/", vendors.VendorCreateView.as_view(), name="vendor_add"),
    path("vendors/<int:pk>/", vendors.VendorDetailView.as_view(), name="vendor_detail"),
    path("vendors/<int:pk>/edit/", vendors.VendorUpdateView.as_view(), name="vendor_edit"),
    path("vendors/<int:pk>/delete/", vendors.VendorDeleteView.as_view(), name="vendor_delete"),
    path("vendors/<int:pk>/history/", views_history.VendorHistoryView.as_view(), name="vendor_history"),
    path("changes/", views_history.ChangeListView.as_view(), name="change_list"),
    path("tier-policy/", views_tiers.TierPolicyView.as_view(), name="tier_policy"),
]
