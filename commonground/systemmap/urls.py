from django.urls import path

from . import views

app_name = "systemmap"

urlpatterns = [
    path("", views.network, name="network"),
    path("relationships/", views.relationship_list, name="relationships"),
    path("relationships/new/", views.relationship_create, name="relationship_create"),
    path("relationships/<int:pk>/delete/", views.relationship_delete, name="relationship_delete"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/invite/", views.survey_invite, name="survey_invite"),
    path("surveys/<int:pk>/toggle/", views.survey_toggle, name="survey_toggle"),
    path("prepare/", views.prepare, name="prepare"),
    path("prepare/<slug:tool>/", views.prepare_tool, name="prepare_tool"),
]
