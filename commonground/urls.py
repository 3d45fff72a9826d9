"""URL routes. Partnership modules live under /p/<slug>/<module>/."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from commonground.api.api import api

PARTNERSHIP_MODULES = [
    "method",
    "prospects",
    "contributions",
    "agreements",
    "decisions",
    "meetings",
    "actionplan",
    "results",
    "healthchecks",
    "atlas",
    "library",
    "systemmap",
    "conversations",
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("commonground.core.urls")),
    # Password reset switched off with password sign-in (before allauth's own).
    path("accounts/", include("commonground.accounts.urls_auth")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("commonground.accounts.urls")),
    path("organisations/", include("commonground.organisations.urls")),
    path("p/", include("commonground.partnerships.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

for module in PARTNERSHIP_MODULES:
    urlpatterns.append(path(f"p/<slug:slug>/{module}/", include(f"commonground.{module}.urls")))
    # Pages that span partnerships (e.g. "my actions", the alliance map).
    if find_spec(f"commonground.{module}.urls_global") is not None:
        global_urls = import_module(f"commonground.{module}.urls_global")
        urlpatterns.append(path(f"{module}/", include((global_urls, f"{module}_global"))))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
