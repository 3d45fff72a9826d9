from django.urls import path

from . import views

app_name = "systemmap_global"

urlpatterns = [
    path("", views.global_network, name="network"),
    path("answer/<str:token>/", views.survey_answer, name="answer"),
]
