app_name = "supplychain"
urlpatterns = []
