from django.urls import path

from . import views

app_name = "method_global"

urlpatterns = [
    path("", views.guide, name="guide"),
]
