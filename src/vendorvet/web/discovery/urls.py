from django.urls import path

from vendorvet.web.discovery import views, views_openapi

app_name = "discovery"
urlpatterns = [
    path("", views.AppListView.as_view(), name="app_list"),
    path("import/", views.UploadView.as_view(), name="upload"),
    path("imports/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("apps/<int:pk>/", views.AppDetailView.as_view(), name="app_detail"),
    path("apps/<int:pk>/accept/", views.AcceptView.as_view(), name="app_accept"),
    path("apps/<int:pk>/reject/", views.RejectView.as_view(), name="app_reject"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
    path("integrations/<int:pk>/openapi/", views_openapi.OpenApiPanelView.as_view(), name="openapi_panel"),
    path("integrations/<int:pk>/openapi/upload/", views_openapi.OpenApiUploadView.as_view(), name="openapi_upload"),
]
