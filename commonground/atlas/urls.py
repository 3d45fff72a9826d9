from django.urls import path

from . import views

app_name = "atlas"

urlpatterns = [
    path("", views.activity_map, name="map"),
    path("activities.geojson", views.geojson, name="geojson"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("overlaps/", views.overlaps, name="overlaps"),
    path("overlaps/suggest/", views.suggest, name="suggest"),
    path(
        "overlaps/suggestions/<int:pk>/follow-up/",
        views.suggestion_follow_up,
        name="suggestion_follow_up",
    ),
]
