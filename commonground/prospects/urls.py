from django.urls import path

from . import views

app_name = "prospects"

urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.prospect_list, name="list"),
    path("add/", views.prospect_add, name="add"),
    path("<int:pk>/", views.prospect_detail, name="detail"),
    path("<int:pk>/research/", views.prospect_research, name="research"),
    path("<int:pk>/stage/", views.prospect_move, name="move"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/outreach/", views.prospect_outreach, name="outreach"),
    path("<int:pk>/score/", views.prospect_score, name="score"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("criteria/", views.criteria, name="criteria"),
    path("gaps/", views.gaps, name="gaps"),
    path("needs/", views.need_set, name="need_set"),
    path("needs/<int:pk>/remove/", views.need_remove, name="need_remove"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("self-assessment/", views.self_assessment, name="self_assessment"),
]
