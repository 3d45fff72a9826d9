app_name = "healthchecks"

urlpatterns: list = []
