app_name = "method"

urlpatterns: list = []
