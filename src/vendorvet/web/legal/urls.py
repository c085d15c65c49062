from django.urls import path

from vendorvet.web.legal import views, views_docs as docs

app_name = "legal"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("integrations/<int:pk>/", views.IntegrationLegalView.as_view(), name="integration"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
    path("integrations/<int:pk>/assess/", views.RunAssessmentView.as_view(), name="assess"),
    path("integrations/<int:pk>/tia/add/", docs.TIACreateView.as_view(), name="tia_add"),
    path("vendors/<int:pk>/", views.VendorLegalView.as_view(), name="vendor"),
    path("vendors/<int:pk>/sub-processors/add/", views.SubProcessorAddView.as_view(), name="subprocessor_add"),
    path("sub-processors/<int:pk>/delete/", views.SubProcessorDeleteView.as_view(), name="subprocessor_delete"),
    path("vendors/<int:pk>/dpa/", views.DpaItemView.as_view(), name="dpa_item"),
    path("vendors/<int:vendor_pk>/contracts/add/", docs.ContractFormView.as_view(), name="contract_add"),
    path("contracts/<int:pk>/edit/", docs.ContractFormView.as_view(), name="contract_edit"),
    path("contracts/<int:pk>/delete/", docs.ContractDeleteView.as_view(), name="contract_delete"),
    path("contracts/<int:pk>/file/", docs.ContractFileView.as_view(), name="contract_file"),
    path("tia/<int:pk>/", docs.TIAView.as_view(), name="tia"),
    path("tia/<int:pk>/print/", docs.TIAExportView.as_view(), {"fmt": "html"}, name="tia_print"),
    path("tia/<int:pk>/docx/", docs.TIAExportView.as_view(), {"fmt": "docx"}, name="tia_docx"),
    path("ropa/", docs.RopaView.as_view(), name="ropa"),
    path("ropa/export.xlsx", docs.RopaExportView.as_view(), {"fmt": "xlsx"}, name="ropa_xlsx"),
    path("ropa/export.csv", docs.RopaExportView.as_view(), {"fmt": "csv"}, name="ropa_csv"),
    path("ropa/export.docx", docs.RopaExportView.as_view(), {"fmt": "docx"}, name="ropa_docx"),
]
