from django.urls import path

from vendorvet.web.inventory.io import views

app_name = "inventory_io"
urlpatterns = [
    path("integrations/import/", views.ImportView.as_view(), name="import"),
    path("integrations/import/template.<str:fmt>", views.ImportTemplateView.as_view(), name="import_template"),
    path("integrations/export.<str:fmt>", views.ExportView.as_view(), name="export"),
]
