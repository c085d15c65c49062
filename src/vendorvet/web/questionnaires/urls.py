from django.urls import path

from vendorvet.web.questionnaires import portal, views, views_standard

app_name = "questionnaires"
urlpatterns = [
    path("questionnaires/", views.ListView.as_view(), name="list"),
    path("questionnaires/<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("questionnaires/<int:pk>/clarify/", views.ClarifyView.as_view(), name="clarify"),
    path("questionnaires/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("questionnaires/assessments/<int:pk>/send/", views.SendView.as_view(), name="send"),
    path("questionnaires/<int:pk>/xlsx/", views_standard.XlsxExportView.as_view(), name="xlsx_export"),
    path("questionnaires/<int:pk>/xlsx/import/", views_standard.XlsxImportView.as_view(), name="xlsx_import"),
    path("questionnaires/assessments/<int:pk>/import-caiq/", views_standard.CaiqImportView.as_view(),
         name="caiq_import"),
    path("questionnaires/items/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("questionnaires/recipients/<int:pk>/revoke/", views.RevokeView.as_view(), name="revoke"),
    path("questionnaires/files/<int:pk>/", views.FileDownloadView.as_view(), name="file_download"),
    path("questionnaires/integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(),
         name="integration_panel"),
    # the vendor's page: no login, the personal link is the key
    path("q/<str:token>/", portal.PortalView.as_view(), name="portal"),
]
