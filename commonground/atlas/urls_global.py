from django.urls import path

from . import views

app_name = "atlas_global"

urlpatterns = [
    path("", views.alliance, name="alliance"),
    path("activities.geojson", views.alliance_geojson, name="geojson"),
]
