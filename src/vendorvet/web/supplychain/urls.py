from django.urls import path

from vendorvet.web.supplychain import views, views_osv

app_name = "supplychain"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("integrations/<int:pk>/", views.IntegrationSbomsView.as_view(), name="integration"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
    path("integrations/<int:pk>/upload/", views.SbomUploadView.as_view(), name="upload"),
    path("sboms/<int:pk>/", views.SbomDetailView.as_view(), name="sbom"),
    path("vulnerability-data/", views_osv.OsvDataView.as_view(), name="osv"),
    path("vulnerability-data/progress/", views_osv.OsvProgressView.as_view(), name="osv_progress"),
    path("vulnerability-data/import/", views_osv.OsvImportView.as_view(), name="osv_import"),
]
