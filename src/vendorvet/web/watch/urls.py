from django.urls import path

from vendorvet.web.watch import views

app_name = "watch"
urlpatterns = [
    path("vendors/<int:pk>/panel/", views.VendorPanelView.as_view(), name="vendor_panel"),
    path("vendors/<int:pk>/add/", views.AddView.as_view(), name="add"),
    path("pages/<int:pk>/remove/", views.RemoveView.as_view(), name="remove"),
    path("pages/<int:pk>/check/", views.CheckView.as_view(), name="check"),
]
