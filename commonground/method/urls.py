from django.urls import path

from . import views

app_name = "method"

urlpatterns = [
    path("", views.lifecycle, name="lifecycle"),
    path("phases/complete/", views.phase_complete, name="phase_complete"),
    path("phases/reopen/", views.phase_reopen, name="phase_reopen"),
    path("phases/send-back/", views.phase_send_back, name="phase_send_back"),
    path("phases/<slug:phase>/", views.phase_view, name="phase"),
    path("phases/<slug:phase>/tick/", views.tick, name="tick"),
    path("phases/<slug:phase>/note/", views.step_note, name="step_note"),
    path("phases/<slug:phase>/review/", views.review, name="review"),
    path("elements/", views.element_list, name="elements"),
    path("elements/<slug:code>/", views.element_detail, name="element"),
    path("elements/<slug:code>/edit/", views.element_edit, name="element_edit"),
    path("elements/<slug:code>/history/", views.element_history, name="element_history"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/trust/", views.trust_add, name="trust_add"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_edit, name="problem_add"),
    path("problems/<int:pk>/", views.problem_edit, name="problem_edit"),
    path("spectrum/", views.spectrum, name="spectrum"),
    path("spectrum/rate/", views.spectrum_rate, name="spectrum_rate"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/seed/", views.glossary_seed, name="glossary_seed"),
    path("glossary/new/", views.glossary_edit, name="glossary_add"),
    path("glossary/<int:pk>/", views.glossary_edit, name="glossary_edit"),
    path("glossary/<int:pk>/delete/", views.glossary_delete, name="glossary_delete"),
    path("charter/", views.charter, name="charter"),
    path("charter.pdf", views.charter_pdf, name="charter_pdf"),
]
