from django.urls import path

from . import views

app_name = "healthchecks"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/rate/", views.round_rate, name="round_rate"),
    path("rounds/<int:pk>/remind/", views.round_action, {"action": "remind"}, name="round_remind"),
    path("rounds/<int:pk>/close/", views.round_action, {"action": "close"}, name="round_close"),
    path(
        "rounds/<int:pk>/publish/", views.round_action, {"action": "publish"}, name="round_publish"
    ),
    path("rounds/<int:pk>/export.csv", views.round_export_csv, name="round_export_csv"),
    path("rounds/<int:pk>/report.pdf", views.round_report_pdf, name="round_report_pdf"),
    path("rounds/<int:pk>/notes/", views.note_add, name="note_add"),
    path("rounds/<int:pk>/notes/<int:note_pk>/delete/", views.note_delete, name="note_delete"),
    path("questions/", views.item_list, name="item_list"),
    path("questions/reference-rate/", views.reference_rate, name="reference_rate"),
    path("questions/<int:pk>/", views.item_edit, name="item_edit"),
]
