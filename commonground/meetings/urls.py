from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("settings/", views.settings_edit, name="settings"),
    path("calendar/", views.calendar_feed_page, name="calendar"),
    path("series/new/", views.series_create, name="series_create"),
    path("series/<int:series_pk>/", views.series_detail, name="series_detail"),
    path("series/<int:series_pk>/end/", views.series_end, name="series_end"),
    path("series/<int:series_pk>/series.ics", views.series_ics, name="series_ics"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.occurrence_cancel, name="occurrence_cancel"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/items/propose/", views.item_propose, name="item_propose"),
    path("<int:pk>/items/<int:item_pk>/decide/", views.item_decide, name="item_decide"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/minutes/", views.item_notes, name="item_notes"),
    path("<int:pk>/items/<int:item_pk>/motion/", views.motion_add, name="motion_add"),
    path("<int:pk>/items/<int:item_pk>/task/", views.task_add, name="task_add"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes_state, name="minutes_state"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
]
