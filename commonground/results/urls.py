from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("indicators/<int:pk>/revise/", views.target_revise, name="target_revise"),
    path("measurements/<int:pk>/file/", views.measurement_file, name="measurement_file"),
    path("import/", views.measurement_import, name="measurement_import"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/actions/", views.review_actions, name="review_actions"),
]
