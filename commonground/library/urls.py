from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("data-room/", views.documents, name="documents"),
    path("data-room/upload/", views.document_upload, name="document_upload"),
    path("data-room/<int:pk>/", views.document_detail, name="document"),
    path("data-room/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("data-room/<int:pk>/versions/", views.version_add, name="version_add"),
    path(
        "data-room/<int:pk>/versions/<int:version>/download/",
        views.download,
        name="download",
    ),
    path("knowledge/", views.cases, name="cases"),
    path("knowledge/new/", views.case_create, name="case_create"),
    path("knowledge/<int:pk>/", views.case_detail, name="case"),
    path("knowledge/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("timeline/", views.timeline, name="timeline"),
    path("timeline/milestones/", views.milestone_create, name="milestone_create"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
]
