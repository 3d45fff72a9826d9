from django.urls import path

from . import views_global

app_name = "decisions_global"

urlpatterns = [
    path("notifications/", views_global.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views_global.notification_open, name="notification_open"),
    path(
        "notifications/read-all/", views_global.notification_read_all, name="notifications_read_all"
    ),
    path("notifications/preferences/", views_global.preferences, name="preferences"),
]
