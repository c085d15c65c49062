from django.urls import path

from vendorvet.web.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.SettingsView.as_view(), name="settings"),
    path("management.pdf", views.ManagementReportView.as_view(), name="management"),
    path("ropa.pdf", views.RopaPdfView.as_view(), name="ropa_pdf"),
    path("tia/<int:pk>/pdf/", views.TiaPdfView.as_view(), name="tia_pdf"),
    path("integrations/<int:pk>/audit-pack/", views.AuditPackView.as_view(), name="audit_pack"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
]
