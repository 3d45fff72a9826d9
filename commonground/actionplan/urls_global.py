from django.urls import path

from . import views

app_name = "actionplan_global"

urlpatterns = [
    path("mine/", views.my_actions, name="mine"),
]
