from django.urls import path

from . import views

app_name = "healthchecks_global"

urlpatterns = [
    path("answer/", views.answer, name="answer"),
]
