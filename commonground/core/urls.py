from django.urls import path

from . import observability, views, views_deliveries

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("about/", views.about, name="about"),
    path("me/waiting/", views.inbox_count, name="inbox_count"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("deliveries/", views_deliveries.all_deliveries, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views_deliveries.delivery_retry, name="delivery_retry"),
    # A partnership's failed emails (under /p/<slug>/ like the partnership's own pages).
    path(
        "p/<slug:slug>/deliveries/",
        views_deliveries.partnership_deliveries,
        name="partnership_deliveries",
    ),
    path(
        "p/<slug:slug>/deliveries/<int:pk>/retry/",
        views_deliveries.partnership_delivery_retry,
        name="partnership_delivery_retry",
    ),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
]
