app_name = "inventory_io"
urlpatterns = []
