from django.urls import path

from vendorvet.web.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("events/bulk/", views.EventBulkView.as_view(), name="event_bulk"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/state/", views.EventStateView.as_view(), name="event_state"),
    path("integrations/<int:pk>/panel/", views.IntegrationPanelView.as_view(), name="integration_panel"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/new/", views.RuleEditView.as_view(), name="rule_create"),
    path("rules/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
]
