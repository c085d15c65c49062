from django.urls import path

from vendorvet.web.scans import views

app_name = "scans"
urlpatterns = [
    path("", views.RunListView.as_view(), name="run_list"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("checks/", views.CheckCatalogueView.as_view(), name="check_list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/sarif/", views.RunExportView.as_view(fmt="sarif"), name="run_sarif"),
    path("runs/<int:pk>/ocsf/", views.RunExportView.as_view(fmt="ocsf"), name="run_ocsf"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
    path("integrations/<int:pk>/scan/", views.ScanNowView.as_view(), name="scan_now"),
    path("integrations/<int:pk>/history/", views.IntegrationHistoryView.as_view(), name="integration_history"),
]
