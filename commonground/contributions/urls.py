from django.urls import path

from . import views

app_name = "contributions"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/schedule/", views.schedule_add, name="schedule_add"),
    path("<int:pk>/transfers/", views.transfer_add, name="transfer_add"),
    path("totals/", views.totals, name="totals"),
    path("rates/", views.rates, name="rates"),
    path("timeline/", views.timeline, name="timeline"),
    path("flow/", views.flow, name="flow"),
    path("benefits/", views.balance, name="balance"),
    path("benefits/new/", views.benefit_add, name="benefit_add"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.import_csv, name="import"),
]
