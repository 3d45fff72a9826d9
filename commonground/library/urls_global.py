from django.urls import path

from . import views

app_name = "library_global"

urlpatterns = [
    path("knowledge/", views.shared_cases, name="cases"),
    path("knowledge/<int:pk>/", views.shared_case, name="case"),
]
