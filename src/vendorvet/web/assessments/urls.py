from django.urls import path

from vendorvet.web.assessments import views, views_decide, views_documents, views_points, views_register

app_name = "assessments"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="list"),
    path("start/", views.AssessmentStartView.as_view(), name="start"),
    path("rubric/", views.RubricView.as_view(), name="rubric"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AssessmentUpdateView.as_view(), name="update"),
    path("<int:pk>/tier/", views.TierOverrideView.as_view(), name="tier_override"),
    path("<int:pk>/optional/", views.AddOptionalView.as_view(), name="add_optional"),
    path("<int:pk>/override/", views.ScoreOverrideView.as_view(), name="score_override"),
    path("<int:pk>/decision/", views_decide.DecisionView.as_view(), name="decision"),
    path("<int:pk>/legal-signoff/", views_decide.LegalSignOffView.as_view(), name="legal_signoff"),
    path("policy/", views_decide.PolicyView.as_view(), name="policy"),
    path("risk-acceptances/", views_decide.RiskRegisterView.as_view(), name="risk_register"),
    path("conditions/", views_decide.ConditionListView.as_view(), name="conditions"),
    path("conditions/<int:pk>/done/", views_decide.ConditionDoneView.as_view(), name="condition_done"),
    path("integrations/<int:pk>/risk-panel/", views_decide.RiskPanelView.as_view(), name="risk_panel"),
    path("answers/<int:pk>/", views.AnswerView.as_view(), name="answer"),
    path("answers/<int:pk>/evidence/", views_register.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("evidence/<int:pk>/", views_register.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("evidence/<int:pk>/read/", views_documents.EvidenceReadView.as_view(), name="evidence_read"),
    path("evidence/<int:pk>/delete/", views_register.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("points/", views_points.PointListView.as_view(), name="points"),
    path("certifications/", views_register.CertificationRegisterView.as_view(), name="certifications"),
    path("certifications/<int:pk>/", views_register.CertificationEditView.as_view(), name="certification_edit"),
    path("vendors/<int:pk>/certifications/", views_register.VendorCertificationsView.as_view(),
         name="vendor_certifications"),
    path("vendors/<int:pk>/certificate-documents/", views_documents.DocumentUploadView.as_view(),
         name="certificate_document_upload"),
    path("certificate-documents/<int:pk>/", views_documents.DocumentView.as_view(), name="certificate_document"),
    path("certificate-documents/<int:pk>/file/", views_documents.DocumentFileView.as_view(),
         name="certificate_document_file"),
    path("vendors/<int:pk>/panel/", views_register.VendorPanelView.as_view(), name="vendor_panel"),
    path("integrations/<int:pk>/panel/", views_register.IntegrationPanelView.as_view(), name="integration_panel"),
]
