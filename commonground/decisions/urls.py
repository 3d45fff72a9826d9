from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.proposal_list, name="proposals"),
    path("new/", views.proposal_create, name="proposal_create"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/close/", views.proposal_close, name="proposal_close"),
    path("<int:pk>/outcome/", views.proposal_outcome, name="proposal_outcome"),
    path("<int:pk>/settle/", views.proposal_settle, name="proposal_settle"),
    path("register/", views.register, name="register"),
    path("register/delegated/", views.delegated_create, name="delegated_create"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<slug:group>/", views.group_detail, name="group_detail"),
    path("groups/<slug:group>/edit/", views.group_edit, name="group_edit"),
    path("groups/<slug:group>/members/add/", views.group_member_add, name="group_member_add"),
    path(
        "groups/<slug:group>/members/<int:user>/remove/",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path("authority/", views.authority, name="authority"),
    path("authority/settings/", views.governance_edit, name="governance_edit"),
    path("authority/domains/new/", views.domain_create, name="domain_create"),
    path("authority/domains/<int:pk>/", views.domain_edit, name="domain_edit"),
    path("authority/domains/<int:pk>/delete/", views.domain_delete, name="domain_delete"),
]
