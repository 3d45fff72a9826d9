from django.urls import path

from . import views

app_name = "meetings_global"

urlpatterns = [
    path("feed/<slug:slug>/<str:token>.ics", views.feed, name="feed"),
]
