from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("new/", views.partnership_create, name="create"),
    path("<slug:slug>/", views.partnership_home, name="home"),
    path("<slug:slug>/edit/", views.partnership_edit, name="edit"),
    path("<slug:slug>/members/", views.member_list, name="members"),
    path("<slug:slug>/members/set/", views.membership_set, name="membership_set"),
    path("<slug:slug>/roles/assign/", views.role_assign, name="role_assign"),
    path("<slug:slug>/roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("<slug:slug>/roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/audit/", views.audit_log, name="audit"),
    path("<slug:slug>/ending/", views.ending, name="ending"),
    path("<slug:slug>/ending/end/", views.ending_end, name="ending_end"),
    path("<slug:slug>/ending/<slug:step>/", views.ending_step, name="ending_step"),
    path("<slug:slug>/panels/<str:key>/", views.home_panel, name="panel"),
]
