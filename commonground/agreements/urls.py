from django.urls import path

from . import start, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("start/", start.start_decision, name="start"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/amend/", views.agreement_amend, name="amend"),
    path("<int:pk>/terminate/", views.agreement_terminate, name="terminate"),
    path("<int:pk>/compare/", views.version_diff, name="diff"),
    path("<int:pk>/v<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/v<int:number>/ratify/", views.version_ratify, name="ratify"),
    path("<int:pk>/v<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path("<int:pk>/v<int:number>.docx", views.version_docx, name="version_docx"),
    path("compact/new/", views.compact_create, name="compact_create"),
    path("compact/<int:pk>/", views.compact_detail, name="compact"),
    path("compact/<int:pk>/sign/", views.compact_sign, name="compact_sign"),
    path("compact/<int:pk>/assess/", views.compact_assess, name="compact_assess"),
]
