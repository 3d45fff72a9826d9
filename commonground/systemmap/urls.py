app_name = "systemmap"

urlpatterns: list = []
