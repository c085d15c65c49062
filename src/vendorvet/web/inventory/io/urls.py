from django.urls import path

from vendorvet.web.inventory.io import views

app_name = "inventory_io"
urlpatterns = [
    path("integrations/import/", views.ImportView.as_view(), name="import"),
    path("integrations/export.<str:fmt>", views.ExportView.as_view(), name="export"),
]
