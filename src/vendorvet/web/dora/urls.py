from django.urls import path

from vendorvet.web.dora import views

app_name = "dora"
urlpatterns = [
    path("", views.RegisterView.as_view(), name="register"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("functions/add/", views.FunctionView.as_view(), name="function_add"),
    path("functions/<int:pk>/", views.FunctionView.as_view(), name="function_edit"),
    path("functions/<int:pk>/delete/", views.FunctionDeleteView.as_view(), name="function_delete"),
    path("branches/add/", views.BranchView.as_view(), name="branch_add"),
    path("branches/<int:pk>/", views.BranchView.as_view(), name="branch_edit"),
    path("branches/<int:pk>/delete/", views.BranchDeleteView.as_view(), name="branch_delete"),
    path("vendors/<int:pk>/", views.VendorProfileView.as_view(), name="vendor"),
    path("sub-processors/<int:pk>/", views.SubProcessorProfileView.as_view(), name="sub_processor"),
    path("contracts/<int:pk>/", views.ContractProfileView.as_view(), name="contract"),
    path("integrations/<int:pk>/", views.IntegrationProfileView.as_view(), name="integration"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
    path("export/<str:fmt>/", views.ExportView.as_view(), name="export"),
]
