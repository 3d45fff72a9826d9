from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.thread_list, name="threads"),
    path("new/", views.thread_create, name="thread_create"),
    path("requests/", views.open_requests, name="requests"),
    path("facts/", views.facts, name="facts"),
    path("search/", views.search, name="search"),
    path("ground-rules/", views.ground_rules, name="ground_rules"),
    path("<int:pk>/", views.thread_detail, name="thread"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/react/", views.react, name="react"),
    path("posts/<int:pk>/mark/", views.post_mark, name="post_mark"),
    path("posts/<int:pk>/agree/", views.fact_agree, name="fact_agree"),
    path("posts/<int:pk>/answered/", views.request_answer, name="request_answer"),
    path("posts/<int:pk>/report/", views.post_report, name="post_report"),
    path("posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("posts/<int:pk>/to/<str:kind>/", views.promote, name="promote"),
]
