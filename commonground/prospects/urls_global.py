from django.urls import path

from . import views

app_name = "prospects_global"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
]
