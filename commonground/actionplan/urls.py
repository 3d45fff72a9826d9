from django.urls import path

from . import views

app_name = "actionplan"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("board/", views.action_board, name="board"),
    path("new/", views.action_create, name="create"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/status/", views.action_status, name="status"),
]
