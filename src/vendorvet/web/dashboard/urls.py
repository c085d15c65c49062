from django.urls import path

from vendorvet.web.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("tenants/", views.ProviderView.as_view(), name="provider"),
]
